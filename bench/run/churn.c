// Lock and thread churn: millions of short-lived mutexes and thousands of
// short-lived threads, as a long-running server makes them. Memory must
// stay flat: a tool that keeps a record of every lock and thread it ever
// saw grows without bound.
//
// Locks taken inside another one are in the lock-order graph; freed with
// their memory (no destroy call), their records must go too.
//
//   churn [MUTEXES] [THREADS] [NESTED]      (default 2000000 20000 1000000)
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_long Finished;
static pthread_mutex_t Outer = PTHREAD_MUTEX_INITIALIZER;

static void *short_lived(void *arg) {
  // Half of them made and destroyed (pthread_mutex_init/destroy), half
  // left to die with their memory (as std::mutex does).
  for (int i = 0; i < 10; ++i) {
    pthread_mutex_t *M = malloc(sizeof(*M));
    pthread_mutex_init(M, NULL);
    pthread_mutex_lock(M);
    pthread_mutex_unlock(M);
    if (i % 2)
      pthread_mutex_destroy(M);
    free(M);
  }
  atomic_fetch_add(&Finished, 1);
  return arg;
}

int main(int argc, char **argv) {
  long Mutexes = argc > 1 ? atol(argv[1]) : 2000000;
  long Threads = argc > 2 ? atol(argv[2]) : 20000;
  long Nested = argc > 3 ? atol(argv[3]) : 1000000;
  for (long i = 0; i < Mutexes; ++i) {
    pthread_mutex_t *M = malloc(sizeof(*M));
    if (i % 2) {
      pthread_mutex_init(M, NULL);
    } else {
      pthread_mutex_t Fresh = PTHREAD_MUTEX_INITIALIZER;
      *M = Fresh;
    }
    pthread_mutex_lock(M);
    pthread_mutex_unlock(M);
    if (i % 2)
      pthread_mutex_destroy(M);
    free(M);
  }
  for (long i = 0; i < Threads; i += 4) {
    pthread_t T[4];
    for (int k = 0; k < 4; ++k)
      pthread_create(&T[k], NULL, short_lived, NULL);
    for (int k = 0; k < 4; ++k)
      pthread_join(T[k], NULL);
  }
  // Detached ones too: their records are freed once the thread is gone.
  pthread_attr_t Detached;
  pthread_attr_init(&Detached);
  pthread_attr_setdetachstate(&Detached, PTHREAD_CREATE_DETACHED);
  long Before = atomic_load(&Finished);
  for (long i = 0; i < Threads / 10; ++i) {
    pthread_t T;
    pthread_create(&T, &Detached, short_lived, NULL);
  }
  while (atomic_load(&Finished) < Before + Threads / 10)
    usleep(1000);
  // Each one a lock-order edge Outer -> M, then its memory freed.
  for (long i = 0; i < Nested; ++i) {
    pthread_mutex_t *M = malloc(sizeof(*M));
    pthread_mutex_t Fresh = PTHREAD_MUTEX_INITIALIZER;
    *M = Fresh;
    pthread_mutex_lock(&Outer);
    pthread_mutex_lock(M);
    pthread_mutex_unlock(M);
    pthread_mutex_unlock(&Outer);
    free(M);
  }
  puts("done");
  return 0;
}
