// REQUIRES: runtime
// One bogus unlock (of a destroyed mutex) in a ThreadSanitizer build is
// seen twice: ThreadSanitizer calls it invalid-mutex-use, the shim
// unlock-not-held. It is one event, reported once, as the shim's.
// RUN: %clang -fsanitize=thread -g -O1 %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <pthread.h>

int main(void) {
  pthread_mutex_t m;
  pthread_mutex_init(&m, 0);
  pthread_mutex_destroy(&m);
  pthread_mutex_unlock(&m);
  // CHECK: run-one-event-one-finding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks {{.*}} [snag-unlock-not-held]
  return 0;
}
