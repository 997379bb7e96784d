// A finding, then the program is killed: the finding survives (it was
// written when it happened), and snag says how the program died.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// CHECK: about to die
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  pthread_mutex_unlock(&m);
  // CHECK: killed-by-signal.c:[[@LINE-1]]:{{[0-9]+}}: warning: {{.*}} [snag-unlock-not-held]
  puts("about to die");
  fflush(stdout);
  raise(SIGKILL);
  return 0;
}
// CHECK: snag run: the program died by signal 9 (SIGKILL)
