// The lock functions, each in terms its callers can map: a global, a
// striped array, a field of what a parameter points to.
#include "locks.h"

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t item_locks[16];

void STATS_LOCK(void) { pthread_mutex_lock(&stats_lock); }
void STATS_UNLOCK(void) { pthread_mutex_unlock(&stats_lock); }

void item_lock(unsigned hv) { pthread_mutex_lock(&item_locks[hv & 15]); }
void item_unlock(unsigned hv) { pthread_mutex_unlock(&item_locks[hv & 15]); }

void possess(lock_t *bolt) { pthread_mutex_lock(&bolt->mutex); }
void release(lock_t *bolt) { pthread_mutex_unlock(&bolt->mutex); }

// Named like a lock function, takes no lock.
static long notes;
void note_stats(void) { notes++; }
