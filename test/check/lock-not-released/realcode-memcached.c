// Shapes from memcached that are not lock leaks.
// RUN: %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:" --allow-empty
#include "mock-sync.h"

void *calloc(unsigned long, unsigned long);
pthread_mutex_t maintenance_lock;
pthread_mutex_t item_locks[64];

// An iterator that holds the table lock until its release function: the
// error path returns before taking it.
void *ok_get_iterator(void) {
  void *iter = calloc(1, 16);
  if (iter == 0)
    return 0;
  pthread_mutex_lock(&maintenance_lock);
  return iter;
}

// A try-lock wrapper that returns the lock it took.
void *ok_item_trylock(unsigned hv) {
  pthread_mutex_t *lock = &item_locks[hv & 63];
  if (pthread_mutex_trylock(lock) == 0)
    return lock;
  return 0;
}
