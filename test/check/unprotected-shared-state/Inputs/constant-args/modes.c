// A switch with fall-through over the mode (memcached's pause_threads) and
// an if over a flag: each constant selects what the call does to locks.
#include "modes.h"
#include <assert.h>
#include <stdio.h>

static pthread_mutex_t maint_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t hang_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

void maint_lock_take(void) { pthread_mutex_lock(&maint_lock); }
void maint_lock_drop(void) { pthread_mutex_unlock(&maint_lock); }

void pause_threads(enum pause_mode mode) {
  switch (mode) {
  case PAUSE_ALL:
    maint_lock_take();
  case PAUSE_WORKERS:
    pthread_mutex_lock(&hang_lock);
    break;
  case RESUME_ALL:
    maint_lock_drop();
  case RESUME_WORKERS:
    pthread_mutex_unlock(&hang_lock);
    break;
  default:
    fprintf(stderr, "unknown mode %d\n", mode);
    assert(0);
    break;
  }
}

void stats_guard(bool enter) {
  if (enter)
    pthread_mutex_lock(&stats_lock);
  else
    pthread_mutex_unlock(&stats_lock);
}
