// unprotected-shared-state and C's orderings besides start and join: POSIX
// semaphores, barriers, C11 atomics and a flag set under a mutex before a
// signal, waited on in a loop around pthread_cond_wait.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>

static sem_t items;
static int item;
static int spare;

static void *post_item(void *arg) {
  item = 3;
  sem_post(&items);
  spare = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `spare` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return arg;
}

static void *take_item(void *arg) {
  sem_wait(&items);
  item++;
  spare++;
  return arg;
}

static atomic_int published;
static int message;
static atomic_int relaxed_flag;
static int relaxed_message;

static void *publish(void *arg) {
  message = 1;
  atomic_store_explicit(&published, 1, memory_order_release);
  relaxed_message = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `relaxed_message` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  atomic_store_explicit(&relaxed_flag, 1, memory_order_relaxed);
  return arg;
}

static void *subscribe(void *arg) {
  while (atomic_load_explicit(&published, memory_order_acquire) == 0) {
  }
  message++;
  while (!atomic_load_explicit(&relaxed_flag, memory_order_relaxed)) {
  }
  relaxed_message++;
  return arg;
}

// A plain `_Atomic` flag: assigning it is a sequentially consistent store,
// reading it in the loop's condition a sequentially consistent load. The
// read of `early` comes before the loop: not ordered.
static _Atomic int ready;
static int payload;
static int early;

static void *fill(void *arg) {
  payload = 5;
  early = 5;
  // CHECK: :[[@LINE-1]]:3: warning: `early` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  ready = 1;
  return arg;
}

static void *drain(void *arg) {
  int seen = early;
  while (!ready) {
  }
  return (void *)(long)(payload + seen);
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int have_work;
static int work;

static void *hand_over(void *arg) {
  work = 10;
  pthread_mutex_lock(&m);
  have_work = 1;
  pthread_mutex_unlock(&m);
  pthread_cond_signal(&cond);
  return arg;
}

static void *take_over(void *arg) {
  pthread_mutex_lock(&m);
  while (!have_work)
    pthread_cond_wait(&cond, &m);
  pthread_mutex_unlock(&m);
  work *= 2;
  return arg;
}

int main(void) {
  pthread_t t[8];
  sem_init(&items, 0, 0);
  pthread_create(&t[0], 0, post_item, 0);
  pthread_create(&t[1], 0, take_item, 0);
  pthread_create(&t[2], 0, publish, 0);
  pthread_create(&t[3], 0, subscribe, 0);
  pthread_create(&t[4], 0, hand_over, 0);
  pthread_create(&t[5], 0, take_over, 0);
  pthread_create(&t[6], 0, fill, 0);
  pthread_create(&t[7], 0, drain, 0);
  for (int i = 0; i < 8; i++)
    pthread_join(t[i], 0);
  return 0;
}
