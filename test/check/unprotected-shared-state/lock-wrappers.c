// unprotected-shared-state with the user's own lock functions, inferred from
// their bodies with no configuration: a function whose every normal exit
// holds a lock it took is an acquire (through a global or its parameter); one
// that lets go of its caller's lock is a release.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-sync.h"

static pthread_mutex_t big = PTHREAD_MUTEX_INITIALIZER;
static void lock(void) { pthread_mutex_lock(&big); }
static void unlock(void) { pthread_mutex_unlock(&big); }

typedef struct {
  pthread_mutex_t m;
  long n;
} pool_t;
static void possess(pthread_mutex_t *l) { pthread_mutex_lock(l); }
static void release(pthread_mutex_t *l) { pthread_mutex_unlock(l); }
/* A wrapper of a wrapper. */
static void enter_pool(pool_t *p) { possess(&p->m); }
static void leave_pool(pool_t *p) { release(&p->m); }

static long counter;
static pool_t pool;
static void *ok_worker_through_wrappers(void *arg) {
  (void)arg;
  lock();
  counter++;
  unlock();
  possess(&pool.m);
  pool.n++;
  release(&pool.m);
  enter_pool(&pool);
  pool.n--;
  leave_pool(&pool);
  return 0;
}

/* Releases its caller's lock to sleep, and takes it back: the caller still
   holds it afterwards. */
static void nap(void) {
  unlock();
  lock();
}
static long napped;
static void *ok_worker_naps_with_the_lock(void *arg) {
  (void)arg;
  lock();
  nap();
  napped++;
  unlock();
  return 0;
}

/* Takes the lock on one path only: not a lock function. */
static long maybe;
static void maybe_lock(int really) {
  if (really)
    pthread_mutex_lock(&big);
}
static void *bad_worker_lock_on_one_path(void *arg) {
  maybe_lock(arg != 0);
  maybe++;
  // CHECK: :[[@LINE-1]]:3: warning: `maybe` is written by threads that may run at once, with no lock{{.*}}[snag-unprotected-shared-state]
  if (arg)
    unlock();
  return 0;
}

/* The wrapper is there, and one place forgets it. */
static long forgotten;
static void *careful(void *arg) {
  (void)arg;
  lock();
  forgotten++;
  unlock();
  return 0;
}
static void *careless(void *arg) {
  (void)arg;
  forgotten++;
  // CHECK: :[[@LINE-1]]:3: warning: `forgotten` is written here with no lock, but elsewhere under `big`{{.*}}[snag-unprotected-shared-state]
  return 0;
}

/* Two pools, each under its own lock through the same wrapper. */
static pool_t left, right;
static void *ok_each_pool_under_its_own_lock(void *arg) {
  (void)arg;
  enter_pool(&left);
  left.n++;
  leave_pool(&left);
  enter_pool(&right);
  right.n++;
  leave_pool(&right);
  return 0;
}
static void *ok_peek_right(void *arg) {
  enter_pool(&right);
  *(long *)arg = right.n;
  leave_pool(&right);
  return 0;
}
static void *bad_right_under_the_left_lock(void *arg) {
  (void)arg;
  enter_pool(&left);
  left.n++;
  right.n++;
  // CHECK: :[[@LINE-1]]:9: warning: `right.n` is written here under `left.m` and elsewhere under `right.m`, with no lock in common{{.*}}[snag-unprotected-shared-state]
  // CHECK: :[[@LINE-16]]:9: note: conflicting write of `right.n` in `ok_each_pool_under_its_own_lock`
  leave_pool(&left);
  return 0;
}

int main(void) {
  pthread_t t[8];
  pthread_create(&t[0], 0, ok_worker_through_wrappers, 0);
  pthread_create(&t[1], 0, ok_worker_through_wrappers, 0);
  pthread_create(&t[2], 0, ok_worker_naps_with_the_lock, 0);
  pthread_create(&t[3], 0, ok_worker_naps_with_the_lock, 0);
  pthread_create(&t[4], 0, bad_worker_lock_on_one_path, &t[0]);
  pthread_create(&t[5], 0, bad_worker_lock_on_one_path, 0);
  pthread_create(&t[6], 0, careful, 0);
  pthread_create(&t[7], 0, careless, 0);
  for (int i = 0; i < 8; i++)
    pthread_join(t[i], 0);
  pthread_t l[2], r[2];
  for (int i = 0; i < 2; i++) {
    pthread_create(&l[i], 0, ok_each_pool_under_its_own_lock, 0);
    pthread_create(&r[i], 0, bad_right_under_the_left_lock, 0);
  }
  long seen;
  pthread_t peek;
  pthread_create(&peek, 0, ok_peek_right, &seen);
  pthread_join(peek, 0);
  for (int i = 0; i < 2; i++) {
    pthread_join(l[i], 0);
    pthread_join(r[i], 0);
  }
  return 0;
}
