// A worker holding many locks at once, taken in order, for several rounds
// in two threads: the lock-order graph's worst case for a tool that checks
// every held lock on every acquisition. Linux lockdep's chain cache makes a
// repeated pattern cost one lookup.
//
//   heldlocks [LOCKS] [ROUNDS] [THREADS] [mutex|rwlock]   (default 1000 3 2 mutex)
//
// With rwlock, read-write locks taken for reading (many readers at once).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int Locks = 1000, Rounds = 3, UseRw = 0;
static pthread_mutex_t *M;
static pthread_rwlock_t *RW;

static void *worker(void *arg) {
  for (int r = 0; r < Rounds; ++r) {
    for (int i = 0; i < Locks; ++i)
      UseRw ? pthread_rwlock_rdlock(&RW[i]) : pthread_mutex_lock(&M[i]);
    for (int i = Locks - 1; i >= 0; --i)
      UseRw ? pthread_rwlock_unlock(&RW[i]) : pthread_mutex_unlock(&M[i]);
  }
  return arg;
}

int main(int argc, char **argv) {
  if (argc > 1)
    Locks = atoi(argv[1]);
  if (argc > 2)
    Rounds = atoi(argv[2]);
  int Threads = argc > 3 ? atoi(argv[3]) : 2;
  UseRw = argc > 4 && strcmp(argv[4], "rwlock") == 0;
  M = calloc(Locks, sizeof(*M));
  RW = calloc(Locks, sizeof(*RW));
  for (int i = 0; i < Locks; ++i) {
    pthread_mutex_init(&M[i], NULL);
    pthread_rwlock_init(&RW[i], NULL);
  }
  pthread_t *T = calloc(Threads, sizeof(*T));
  for (int i = 0; i < Threads; ++i)
    pthread_create(&T[i], NULL, worker, NULL);
  for (int i = 0; i < Threads; ++i)
    pthread_join(T[i], NULL);
  puts("done");
  return 0;
}
