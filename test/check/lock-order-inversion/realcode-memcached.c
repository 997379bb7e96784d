// A lock that only some paths still hold is no order: memcached's crawler
// releases the LRU lock under one of two opposite conditions, then cycles
// the crawler lock.
// RUN: %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:" --allow-empty
#include "mock-sync.h"

pthread_mutex_t crawler_lock, lru_lock;
int needs_lock, sleep_us;
void eval(void);
void usleep(int);

void ok_crawler_thread(void) {
  pthread_mutex_lock(&crawler_lock);
  pthread_mutex_lock(&lru_lock);
  if (!needs_lock)
    pthread_mutex_unlock(&lru_lock);
  eval();
  if (needs_lock)
    pthread_mutex_unlock(&lru_lock);
  pthread_mutex_unlock(&crawler_lock);
  usleep(sleep_us);
  pthread_mutex_lock(&crawler_lock);
  pthread_mutex_unlock(&crawler_lock);
}

void ok_start(void) {
  pthread_mutex_lock(&crawler_lock);
  pthread_mutex_lock(&lru_lock);
  pthread_mutex_unlock(&lru_lock);
  pthread_mutex_unlock(&crawler_lock);
}
