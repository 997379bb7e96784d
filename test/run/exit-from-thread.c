// A worker calls exit() while main waits to join it: the process ends from
// a thread other than main. Nothing hangs and nothing is reported.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *finisher(void *arg) {
  pthread_mutex_lock(&m);
  puts("worker exits");
  fflush(stdout);
  pthread_mutex_unlock(&m);
  exit(0);
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, finisher, NULL);
  pthread_join(t, NULL);
  puts("never printed");
  return 0;
}
// CHECK: worker exits
// CHECK-NOT: never printed
