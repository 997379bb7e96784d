// A mutex unlocked by a thread that does not hold it.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *bad_unlock_other(void *arg) {
  pthread_mutex_unlock(&m);
  // CHECK: unlock-not-held.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T1 unlocks `m`, which thread T0 holds{{.*}} [snag-unlock-not-held]
  return arg;
}

static pthread_mutex_t n = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  pthread_mutex_lock(&m);
  pthread_t t;
  pthread_create(&t, NULL, bad_unlock_other, NULL);
  pthread_join(t, NULL);
  pthread_mutex_unlock(&n);
  // CHECK: unlock-not-held.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `n`, which no thread holds{{.*}} [snag-unlock-not-held]
  puts("done");
  return 0;
}
