// Threads that take the stripes through the functions of stripes.c.
#include "stripes.h"

static void *worker(void *arg) {
  const char *key = (const char *)arg;
  unsigned hv;
  lookup_pinned(key, &hv);
  table[hv & 63].refs++;
  stripe_unlock(hv);

  lookup_copy(key, &hv);
  table[hv & 63].size = 1;

  struct pulled r;
  r.item = NULL;
  pull_tail(3, &r);
  if (r.item == NULL) {
    table[0].misses++;
  } else {
    table[r.hv].flags = 1;
    stripe_unlock(r.hv);
  }

  bool overflow;
  get_limited(hv, &overflow);
  if (overflow) {
    table[hv & 63].drops++;
    return 0;
  }
  table[hv & 63].hits++;
  stripe_unlock(hv);

  struct entry *e = find_entry(hv);
  if (e) {
    table[hv & 63].time = 3;
    stripe_unlock(hv);
  } else {
    table[hv & 63].absent++;
  }
  return 0;
}

int main(void) {
  pthread_t t[2];
  pthread_create(&t[0], 0, worker, "a");
  pthread_create(&t[1], 0, worker, "b");
  for (int i = 0; i < 2; ++i)
    pthread_join(t[i], 0);
  return 0;
}
