// Lock functions; pause_threads takes or releases by its argument.
#include <pthread.h>
#include "sync.h"

static pthread_mutex_t worker_hang_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t rebalance_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stripes[16];
static pthread_mutex_t stats_mutex = PTHREAD_MUTEX_INITIALIZER;

void rebalancer_pause(void) { pthread_mutex_lock(&rebalance_lock); }
void rebalancer_resume(void) { pthread_mutex_unlock(&rebalance_lock); }

void pause_threads(enum pause_type type) {
  switch (type) {
  case PAUSE_ALL:
    rebalancer_pause();
    /* fall through */
  case PAUSE_WORKERS:
    pthread_mutex_lock(&worker_hang_lock);
    break;
  case RESUME_ALL:
    rebalancer_resume();
    /* fall through */
  case RESUME_WORKERS:
    pthread_mutex_unlock(&worker_hang_lock);
    break;
  }
}

void stripe_lock(unsigned hv) { pthread_mutex_lock(&stripes[hv & 15]); }
void stripe_unlock(unsigned hv) { pthread_mutex_unlock(&stripes[hv & 15]); }
void stats_lock(void) { pthread_mutex_lock(&stats_mutex); }
void stats_unlock(void) { pthread_mutex_unlock(&stats_mutex); }
