// The try functions: each returns whether (or which) lock it took.
#include "stripes.h"

static pthread_mutex_t stripes[64];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

void *stripe_trylock(unsigned hv) {
  pthread_mutex_t *lock = &stripes[hv & 63];
  if (pthread_mutex_trylock(lock) == 0)
    return lock;
  return NULL;
}

void stripe_tryunlock(void *held) { pthread_mutex_unlock((pthread_mutex_t *)held); }
void stripe_lock(unsigned hv) { pthread_mutex_lock(&stripes[hv & 63]); }
void stripe_unlock(unsigned hv) { pthread_mutex_unlock(&stripes[hv & 63]); }

int try_table(void) { return pthread_mutex_trylock(&table_lock) == 0 ? 1 : 0; }
void table_unlock(void) { pthread_mutex_unlock(&table_lock); }

// Returns a lock it did not take: no try.
void *maybe_stripe(unsigned hv) { return hv ? &stripes[hv & 63] : NULL; }
