// unlock-not-held and loops over an array of locks: a loop that takes every
// element and a loop that releases them is not an unlock of a lock not held
// (the "path" that skips the taking loop is a loop that ran no time).
// RUN: %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="warning:"
// CHECK: snag: 0 findings in 1 file

#include <pthread.h>

#define N 1000
static pthread_mutex_t locks[N];
static int data[N];

void lock_all(void) {
  for (int i = 0; i < N; i++)
    pthread_mutex_lock(&locks[i]);
  for (int i = 0; i < N; i++)
    data[i]++;
  for (int i = N - 1; i >= 0; i--)
    pthread_mutex_unlock(&locks[i]);
}

void lock_all_while(int n) {
  int i = 0;
  while (i < n)
    pthread_mutex_lock(&locks[i++]);
  while (i > 0)
    pthread_mutex_unlock(&locks[--i]);
}
