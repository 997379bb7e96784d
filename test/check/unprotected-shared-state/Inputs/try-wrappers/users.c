// Threads that take the stripes through try functions defined elsewhere.
#include "stripes.h"

struct item {
  int refcount, flags, time, slabs_clsid;
};
static struct item table[64];
static long table_size, table_hits;

static void *maintainer(void *arg) {
  for (unsigned hv = 0; hv < 64; ++hv) {
    void *hold;
    if ((hold = stripe_trylock(hv)) == NULL)
      continue;
    table[hv].refcount++;
    stripe_tryunlock(hold);
  }
  for (unsigned hv = 0; hv < 64; ++hv) {
    void *held = stripe_trylock(hv);
    if (held != NULL) {
      table[hv].flags = 1;
      stripe_tryunlock(held);
    }
    table[hv].time = 2;
  }
  if (try_table()) {
    table_size++;
    table_unlock();
  }
  if (!try_table())
    return 0;
  table_hits++;
  table_unlock();
  return 0;
}

static void *worker(void *arg) {
  unsigned hv = (unsigned)(long)arg;
  stripe_lock(hv);
  table[hv].refcount--;
  table[hv].flags = 0;
  table[hv].time = 1;
  stripe_unlock(hv);
  void *not_held = maybe_stripe(hv);
  if (not_held)
    table[hv].slabs_clsid = 3;
  table[hv].slabs_clsid = 4;
  if (try_table()) {
    table_size--;
    table_hits--;
    table_unlock();
  }
  return 0;
}

int main(void) {
  pthread_t t[3];
  pthread_create(&t[0], 0, maintainer, 0);
  pthread_create(&t[1], 0, worker, (void *)1);
  pthread_create(&t[2], 0, worker, (void *)2);
  for (int i = 0; i < 3; ++i)
    pthread_join(t[i], 0);
  return 0;
}
