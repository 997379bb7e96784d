// A joinable thread never joined nor detached is reported at exit; joined
// and detached-and-finished threads are not.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// CHECK: done
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t joined, detached, forgotten;
  pthread_create(&joined, NULL, work, NULL);
  pthread_join(joined, NULL);
  pthread_create(&detached, NULL, work, NULL);
  pthread_detach(detached);
  pthread_create(&forgotten, NULL, work, NULL);
  // CHECK: missing-join.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T3 {{.*}}never joined nor detached{{.*}} [snag-missing-join]
  usleep(100000);
  puts("done");
  return 0;
}
