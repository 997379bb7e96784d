// One thread holds 1,000 locks at once (taken in address order, released in
// reverse), twice. Tools with fixed held-lock tables give up here.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <pthread.h>
#include <stdio.h>

#define N 1000
static pthread_mutex_t locks[N];

static void *take_all(void *arg) {
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < N; ++i)
      pthread_mutex_lock(&locks[i]);
    for (int i = N - 1; i >= 0; --i)
      pthread_mutex_unlock(&locks[i]);
  }
  return arg;
}

int main(void) {
  for (int i = 0; i < N; ++i)
    pthread_mutex_init(&locks[i], NULL);
  pthread_t a, b;
  pthread_create(&a, NULL, take_all, NULL);
  pthread_create(&b, NULL, take_all, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  puts("done");
  return 0;
}
// CHECK: done
