// Threads that use the lock functions of locks.c and stats.c.
#include "locks.h"

struct stats {
  long curr_items, total_items, evictions, misses;
} stats;
static long hits[16];
static lock_t pool_a, pool_b;

static void *worker(void *arg) {
  unsigned hv = (unsigned)(long)arg;
  STATS_LOCK();
  stats.curr_items++;
  STATS_UNLOCK();
  stats_enter();
  stats.total_items++;
  stats_leave();
  item_lock(hv);
  hits[hv & 15]++;
  item_unlock(hv);
  possess(&pool_a);
  pool_a.value++;
  release(&pool_a);
  note_stats();
  stats.misses++;
  return 0;
}

static void *other(void *arg) {
  STATS_LOCK();
  stats.evictions++;
  STATS_UNLOCK();
  STATS_LOCK();
  stats.misses--;
  STATS_UNLOCK();
  return 0;
}

static void *first_a_then_b(void *arg) {
  possess(&pool_a);
  possess(&pool_b);
  pool_b.value++;
  release(&pool_b);
  release(&pool_a);
  return 0;
}

static void *first_b_then_a(void *arg) {
  possess(&pool_b);
  possess(&pool_a);
  pool_a.value--;
  release(&pool_a);
  release(&pool_b);
  return 0;
}

int main(void) {
  pthread_t t[5];
  pthread_create(&t[0], 0, worker, (void *)1);
  pthread_create(&t[1], 0, worker, (void *)2);
  pthread_create(&t[2], 0, other, 0);
  pthread_create(&t[3], 0, first_a_then_b, 0);
  pthread_create(&t[4], 0, first_b_then_a, 0);
  for (int i = 0; i < 5; ++i)
    pthread_join(t[i], 0);
  return 0;
}
