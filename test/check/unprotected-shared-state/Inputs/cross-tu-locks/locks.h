// Lock functions defined in locks.c and stats.c, called from other files.
#include <pthread.h>

typedef struct {
  pthread_mutex_t mutex;
  long value;
} lock_t;

void STATS_LOCK(void);
void STATS_UNLOCK(void);
void item_lock(unsigned hv);
void item_unlock(unsigned hv);
void possess(lock_t *bolt);
void release(lock_t *bolt);
void stats_enter(void);
void stats_leave(void);
void note_stats(void);
