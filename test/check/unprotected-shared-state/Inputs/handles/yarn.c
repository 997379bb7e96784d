// The library: each thread's block sits on a list that join_all() walks.
#include <pthread.h>
#include <stdlib.h>
#include "yarn.h"

struct thread_s {
  pthread_t id;
  struct thread_s *next;
};

struct capsule {
  void (*probe)(void *);
  void *payload;
};

static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static thread *threads;

static void *ignition(void *arg) {
  struct capsule *capsule = arg;
  capsule->probe(capsule->payload);
  free(capsule);
  return 0;
}

thread *launch(void (*probe)(void *), void *payload) {
  struct capsule *capsule = malloc(sizeof(struct capsule));
  capsule->probe = probe;
  capsule->payload = payload;
  thread *th = malloc(sizeof(struct thread_s));
  pthread_create(&(th->id), 0, ignition, capsule);
  pthread_mutex_lock(&threads_lock);
  th->next = threads;
  threads = th;
  pthread_mutex_unlock(&threads_lock);
  return th;
}

static void unlist(thread *ally) {
  pthread_mutex_lock(&threads_lock);
  thread **prior = &threads, *match;
  while ((match = *prior) != NULL && match != ally)
    prior = &(match->next);
  if (match)
    *prior = match->next;
  pthread_mutex_unlock(&threads_lock);
}

void join(thread *ally) {
  pthread_join(ally->id, NULL);
  unlist(ally);
  free(ally);
}

int join_all(void) {
  int count = 0;
  while (threads != NULL) {
    thread *match = threads;
    pthread_join(match->id, NULL);
    unlist(match);
    free(match);
    count++;
  }
  return count;
}
