// Spin locks are locks too: opposite orders in two workers.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <pthread.h>
#include <stdio.h>

static pthread_spinlock_t a, b;

static void *forward(void *arg) {
  pthread_spin_lock(&a);
  pthread_spin_lock(&b);
  pthread_spin_unlock(&b);
  pthread_spin_unlock(&a);
  return arg;
}

static void *backward(void *arg) {
  pthread_spin_lock(&b);
  pthread_spin_lock(&a);
  pthread_spin_unlock(&a);
  pthread_spin_unlock(&b);
  return arg;
}

int main(void) {
  pthread_spin_init(&a, 0);
  pthread_spin_init(&b, 0);
  pthread_t t;
  pthread_create(&t, NULL, forward, NULL);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, backward, NULL);
  pthread_join(t, NULL);
  puts("done");
  return 0;
}
// CHECK: done
// CHECK: warning: locks taken in a cycle of orders:{{.*}}`b`{{.*}}`a`{{.*}}[snag-lock-order-inversion]
