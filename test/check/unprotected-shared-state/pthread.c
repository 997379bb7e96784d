// unprotected-shared-state in C: pthreads and C11 threads' mutexes.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-sync.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *careful(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  counter++;
  pthread_mutex_unlock(&lock);
  return 0;
}

static void *careless(void *arg) {
  (void)arg;
  counter++;
  // CHECK: :[[@LINE-1]]:3: warning: `counter` is written here with no lock, but elsewhere under `lock`{{.*}}[snag-unprotected-shared-state]
  return 0;
}

void bad_one_thread_forgets_the_lock(void) {
  pthread_t a, b;
  pthread_create(&a, 0, careful, 0);
  pthread_create(&b, 0, careless, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
}

static long both_careful;
static void *careful_too(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  both_careful++;
  pthread_mutex_unlock(&lock);
  return 0;
}
void ok_both_lock(void) {
  pthread_t a, b;
  pthread_create(&a, 0, careful_too, 0);
  pthread_create(&b, 0, careful_too, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  both_careful = 0;
}

struct job {
  long result;
};
static void *compute(void *arg) {
  struct job *j = arg;
  j->result = 1;
  return 0;
}
void ok_each_thread_its_own_job(void) {
  struct job jobs[2];
  pthread_t a, b;
  pthread_create(&a, 0, compute, &jobs[0]);
  pthread_create(&b, 0, compute, &jobs[1]);
  pthread_join(a, 0);
  pthread_join(b, 0);
}

static mtx_t c11_lock;
static int c11_value;
static int c11_worker(void *arg) {
  (void)arg;
  mtx_lock(&c11_lock);
  c11_value++;
  mtx_unlock(&c11_lock);
  return 0;
}
static void *c11_worker_pthread(void *arg) {
  c11_worker(arg);
  return 0;
}
void ok_c11_mutex(void) {
  pthread_t a, b;
  pthread_create(&a, 0, c11_worker_pthread, 0);
  pthread_create(&b, 0, c11_worker_pthread, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int rw_value;
static void *rw_reader(void *arg) {
  (void)arg;
  pthread_rwlock_rdlock(&rw);
  int v = rw_value;
  pthread_rwlock_unlock(&rw);
  return (void *)(long)v;
}
static void *rw_writer(void *arg) {
  (void)arg;
  pthread_rwlock_wrlock(&rw);
  rw_value++;
  pthread_rwlock_unlock(&rw);
  return 0;
}
void ok_rwlock_readers_and_writer(void) {
  pthread_t a, b, c;
  pthread_create(&a, 0, rw_reader, 0);
  pthread_create(&b, 0, rw_reader, 0);
  pthread_create(&c, 0, rw_writer, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  pthread_join(c, 0);
}
