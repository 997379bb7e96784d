// Distinct findings stay distinct: four unlocks of unheld mutexes at four
// lines are four findings, and five threads left unjoined, started at five
// lines, are five. What is truly the same (one line, run by many threads)
// is one finding that says how many more there were.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;

static void *idle(void *arg) { return arg; }

static void *unlock_unheld(void *arg) {
  pthread_mutex_unlock(&m2);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T{{[0-9]+}} unlocks `m2`, which no thread holds{{.*}} (and 2 more like it) [snag-unlock-not-held]
  return arg;
}

int main(void) {
  pthread_mutex_unlock(&m1);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `m1`{{.*}} [snag-unlock-not-held]
  pthread_mutex_unlock(&m1);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `m1`{{.*}} [snag-unlock-not-held]
  pthread_mutex_unlock(&m2);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `m2`{{.*}} [snag-unlock-not-held]
  pthread_mutex_unlock(&m1);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `m1`{{.*}} [snag-unlock-not-held]
  pthread_t t[8];
  for (int i = 0; i < 3; ++i)
    pthread_create(&t[i], NULL, unlock_unheld, NULL);
  for (int i = 0; i < 3; ++i)
    pthread_join(t[i], NULL);
  pthread_create(&t[3], NULL, idle, NULL);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T{{[0-9]+}} finished but was never joined{{.*}} [snag-missing-join]
  pthread_create(&t[4], NULL, idle, NULL);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T{{[0-9]+}} finished but was never joined{{.*}} [snag-missing-join]
  pthread_create(&t[5], NULL, idle, NULL);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T{{[0-9]+}} finished but was never joined{{.*}} [snag-missing-join]
  pthread_create(&t[6], NULL, idle, NULL);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T{{[0-9]+}} finished but was never joined{{.*}} [snag-missing-join]
  pthread_create(&t[7], NULL, idle, NULL);
  // CHECK-DAG: folding.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T{{[0-9]+}} finished but was never joined{{.*}} [snag-missing-join]
  usleep(100000);
  return 0;
}
