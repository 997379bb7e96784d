// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
int count;

int bad_unlock_on_error_path(int v) {
  if (v < 0)
    goto fail;
  pthread_mutex_lock(&lock);
  count += v;
  pthread_mutex_unlock(&lock);
  return 0;
fail:
  pthread_mutex_unlock(&lock);
  // CHECK: :[[@LINE-1]]:3: warning: `lock` is unlocked here but is not held{{.*}} [snag-unlock-not-held]
  return -1;
}

int ok_trylock_checked(void) {
  if (pthread_mutex_trylock(&lock) != 0)
    return -1;
  count++;
  pthread_mutex_unlock(&lock);
  return 0;
}

int ok_trylock_zero_test(void) {
  int rc = pthread_mutex_trylock(&lock);
  if (rc == 0) {
    count++;
    pthread_mutex_unlock(&lock);
  }
  return rc;
}
