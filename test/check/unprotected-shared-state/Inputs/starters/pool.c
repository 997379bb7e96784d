// The starters.
#include <pthread.h>
#include <stdlib.h>
#include "pool.h"

struct capsule {
  void (*probe)(void *);
  void *payload;
};

static void *ignition(void *arg) {
  struct capsule *capsule = arg;
  capsule->probe(capsule->payload);
  free(capsule);
  return 0;
}

void launch(void (*probe)(void *), void *payload) {
  struct capsule *capsule = malloc(sizeof(struct capsule));
  capsule->probe = probe;
  capsule->payload = payload;
  pthread_t th;
  pthread_create(&th, 0, ignition, capsule);
  pthread_detach(th);
}

void spawn(void *(*fn)(void *), void *arg) {
  pthread_t th;
  pthread_create(&th, 0, fn, arg);
  pthread_detach(th);
}

void run_now(void (*fn)(void *), void *arg) { fn(arg); }
