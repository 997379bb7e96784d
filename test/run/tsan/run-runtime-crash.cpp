// REQUIRES: runtime
// ThreadSanitizer's own runtime fails ("CHECK failed", here on a thread
// joining itself) and ends the process with the exitcode snag set to 0.
// That is not a success: snag run reports what was found before the crash
// and exits 125, its own failure.
// RUN: %clangxx -fsanitize=thread -g -O1 %s -o %t
// RUN: %exitcode %snag run -- %t 2>&1 | FileCheck %s
#include <cstdio>
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main() {
  pthread_mutex_unlock(&m);
  std::puts("before the crash");
  std::fflush(stdout);
  pthread_join(pthread_self(), nullptr);
  std::puts("after the crash");
  return 0;
}
// CHECK: before the crash
// CHECK: snag: error: ThreadSanitizer's runtime failed, ending the process (what it would have found after is lost): tsan.{{[0-9]+}}:{{[0-9]+}}: ThreadSanitizer: CHECK failed:
// CHECK: run-runtime-crash.cpp:[[@LINE-9]]:{{[0-9]+}}: warning: thread T0 unlocks `m`{{.*}} [snag-unlock-not-held]
// CHECK: exit 125
