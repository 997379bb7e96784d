// A cycle of three: T1 a->b, T2 b->c, T3 c->a. No pair is inverted, the
// three together deadlock.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER,
                       c = PTHREAD_MUTEX_INITIALIZER;

static void nest(pthread_mutex_t *x, pthread_mutex_t *y) {
  pthread_mutex_lock(x);
  pthread_mutex_lock(y);
  pthread_mutex_unlock(y);
  pthread_mutex_unlock(x);
}
static void *bad_ab(void *p) { nest(&a, &b); return p; }
static void *bad_bc(void *p) { nest(&b, &c); return p; }
static void *bad_ca(void *p) { nest(&c, &a); return p; }

int main(void) {
  void *(*fns[3])(void *) = {bad_ab, bad_bc, bad_ca};
  for (int i = 0; i < 3; ++i) {
    pthread_t t;
    pthread_create(&t, NULL, fns[i], NULL);
    pthread_join(t, NULL);
  }
  puts("done");
  return 0;
}
// CHECK: done
// CHECK: warning: locks taken in a cycle of orders:{{.*}}[snag-lock-order-inversion]
// CHECK-DAG: takes `b` while holding `a`
// CHECK-DAG: takes `c` while holding `b`
// CHECK-DAG: takes `a` while holding `c`
