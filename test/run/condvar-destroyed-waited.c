// pthread_cond_destroy on a condition variable a thread waits on: snag
// reports it and passes the call through unchanged (it never returns an
// error the C library would not). glibc then waits for the waiter, for
// ever; the watchdog ends the process with no second finding.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run --option watchdog_ms=300 -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// A destroy with no waiter is fine.
// RUN: %snag run -- %t ok 2>&1 | FileCheck %s --check-prefix=OK --implicit-check-not="[snag-"
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *waiter(void *arg) {
  pthread_mutex_lock(&m);
  pthread_cond_wait(&cv, &m);
  pthread_mutex_unlock(&m);
  return arg;
}

int main(int argc, char **argv) {
  if (argc > 1) {
    int R = pthread_cond_destroy(&cv);
    printf("destroy returned %d\n", R);
    return 0;
  }
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  usleep(100000);
  pthread_cond_destroy(&cv);
  // CHECK: condvar-destroyed-waited.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 destroys condition variable `cv`, which 1 thread(s) wait on{{.*}} [snag-mutex-destroyed-locked]
  puts("not reached");
  return 0;
}
// CHECK: snag run: snag ended process {{[0-9]+}} ({{.*}}) after reporting a mutex-destroyed-locked
// OK: destroy returned 0
