// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
mtx_t c11;
int table[8];

int bad_goto_out(int i) {
  pthread_mutex_lock(&lock);
  // CHECK: :[[@LINE-1]]:3: warning: `lock` is locked here{{.*}} [snag-lock-not-released]
  if (i < 0)
    goto out;
  table[i] = 1;
  pthread_mutex_unlock(&lock);
out:
  return i;
}

int bad_rwlock(int i) {
  pthread_rwlock_rdlock(&rw);
  // CHECK: :[[@LINE-1]]:3: warning: `rw` is locked here{{.*}} [snag-lock-not-released]
  if (table[i])
    return table[i];
  pthread_rwlock_unlock(&rw);
  return 0;
}

int bad_c11(int i) {
  mtx_lock(&c11);
  // CHECK: :[[@LINE-1]]:3: warning: `c11` is locked here{{.*}} [snag-lock-not-released]
  if (i)
    return 1;
  mtx_unlock(&c11);
  return 0;
}

int ok_goto_cleanup(int i) {
  int rc = 0;
  pthread_mutex_lock(&lock);
  if (i < 0) {
    rc = -1;
    goto out;
  }
  table[i] = 1;
out:
  pthread_mutex_unlock(&lock);
  return rc;
}

int ok_trylock(void) {
  if (pthread_mutex_trylock(&lock))
    return -1;
  table[0]++;
  pthread_mutex_unlock(&lock);
  return 0;
}

int ok_conditional_lock_and_unlock(int shared) {
  if (shared)
    pthread_mutex_lock(&lock);
  table[1]++;
  if (shared)
    pthread_mutex_unlock(&lock);
  return 0;
}

/* C code does not throw: a call between lock and unlock is no way out. */
void use(int);
void ok_call_in_c(void) {
  pthread_mutex_lock(&lock);
  use(table[2]);
  pthread_mutex_unlock(&lock);
}
