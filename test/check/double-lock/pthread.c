// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t rec;
int count;

static void bump(void) {
  pthread_mutex_lock(&lock);
  // CHECK: :[[@LINE-1]]:3: warning: `lock` is taken again{{.*}} [snag-double-lock]
  // CHECK: :[[@LINE+5]]:3: note: `lock` was taken here
  count++;
  pthread_mutex_unlock(&lock);
}
void bad_bump_twice(void) {
  pthread_mutex_lock(&lock);
  bump();
  pthread_mutex_unlock(&lock);
}

void ok_bump_outside(void) {
  pthread_mutex_lock(&lock);
  count--;
  pthread_mutex_unlock(&lock);
  bump();
}

void ok_trylock_held(void) {
  pthread_mutex_lock(&lock);
  if (pthread_mutex_trylock(&lock) == 0)
    count = -1;
  pthread_mutex_unlock(&lock);
}
