// A callee that lets go of its caller's lock to sleep, then takes it again
// (memcached's crawler), does not take it a second time.
// RUN: %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:" --allow-empty
#include "mock-sync.h"

pthread_mutex_t crawler_lock = PTHREAD_MUTEX_INITIALIZER;
int sleep_us, work;
void usleep(int);

static void crawl_hash(void) {
  while (work-- > 0) {
    if (sleep_us) {
      pthread_mutex_unlock(&crawler_lock);
      usleep(sleep_us);
      pthread_mutex_lock(&crawler_lock);
    }
  }
}

void ok_crawler_thread(void) {
  pthread_mutex_lock(&crawler_lock);
  crawl_hash();
  pthread_mutex_unlock(&crawler_lock);
}
