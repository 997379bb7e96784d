// A mutex destroyed while held, and (below) one freed while held.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// CHECK: done
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct Job {
  pthread_mutex_t lock;
  int state;
};

int main(void) {
  pthread_mutex_t m;
  pthread_mutex_init(&m, NULL);
  pthread_mutex_lock(&m);
  pthread_mutex_destroy(&m);
  // CHECK-DAG: mutex-destroyed-locked.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 destroys lock #{{[0-9]+}} {{.*}} while it holds it{{.*}} [snag-mutex-destroyed-locked]

  struct Job *job = malloc(sizeof *job);
  pthread_mutex_init(&job->lock, NULL);
  pthread_mutex_lock(&job->lock);
  free(job);
  // CHECK-DAG: mutex-destroyed-locked.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 frees the memory of lock #{{[0-9]+}} {{.*}} while it holds it{{.*}} [snag-mutex-destroyed-locked]

  // Destroyed after unlock, and freed after unlock: fine.
  pthread_mutex_t ok;
  pthread_mutex_init(&ok, NULL);
  pthread_mutex_lock(&ok);
  pthread_mutex_unlock(&ok);
  pthread_mutex_destroy(&ok);
  struct Job *fine = malloc(sizeof *fine);
  pthread_mutex_init(&fine->lock, NULL);
  pthread_mutex_lock(&fine->lock);
  pthread_mutex_unlock(&fine->lock);
  pthread_mutex_destroy(&fine->lock);
  free(fine);
  puts("done");
  return 0;
}
