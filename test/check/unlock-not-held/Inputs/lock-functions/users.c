// Threads that pause others, hand locks through out-parameters, and
// release under a flag set at the take.
#include <pthread.h>
#include "sync.h"

static long moved, stored;

static void *maintainer(void *arg) {
  pause_threads(PAUSE_ALL);
  moved++;
  pause_threads(RESUME_ALL);
  return 0;
}

/* The stripe pull_tail locked, released here: the caller sees no release. */
static int write_one(void) {
  struct pulled info;
  if (!pull_tail(&info))
    return 0;
  stored++;
  stripe_unlock(info.hv);
  return 1;
}

static void *writer(void *arg) {
  while (write_one())
    ;
  return 0;
}

static void *store(void *arg) {
  unsigned hv = (unsigned)(long)arg;
  int locked = 0;
  if (hv > 3) {
    stripe_lock(hv);
    locked = 1;
  }
  if (locked)
    stripe_unlock(hv);
  return 0;
}

static void *careless(void *arg) {
  stats_unlock();
  return 0;
}

int main(void) {
  pthread_t t[4];
  pthread_create(&t[0], 0, maintainer, 0);
  pthread_create(&t[1], 0, writer, 0);
  pthread_create(&t[2], 0, store, (void *)5);
  pthread_create(&t[3], 0, careless, 0);
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], 0);
  return 0;
}
