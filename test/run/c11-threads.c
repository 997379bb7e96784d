// C11 threads (mtx_*, cnd_*, thrd_*): glibc builds them on its internal
// pthread functions, which an interposer does not see, so snag intercepts
// them by name. An inversion between two workers, and a forgotten thread.
// RUN: %clang -std=c11 -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// CHECK: done
#include <stdio.h>
#include <threads.h>

static mtx_t a, b;

static int forward(void *arg) {
  mtx_lock(&a);
  mtx_lock(&b);
  mtx_unlock(&b);
  mtx_unlock(&a);
  return 0;
}

static int backward(void *arg) {
  mtx_lock(&b);
  mtx_lock(&a);
  mtx_unlock(&a);
  mtx_unlock(&b);
  return 0;
}

static int idle(void *arg) { return 0; }

int main(void) {
  mtx_init(&a, mtx_plain);
  mtx_init(&b, mtx_plain);
  thrd_t t;
  thrd_create(&t, forward, NULL);
  thrd_join(t, NULL);
  thrd_create(&t, backward, NULL);
  thrd_join(t, NULL);
  thrd_create(&t, idle, NULL);
  // CHECK-DAG: c11-threads.c:[[@LINE-1]]:{{.*}}never joined nor detached{{.*}}[snag-missing-join]
  thrd_sleep(&(struct timespec){.tv_nsec = 50000000}, NULL);
  puts("done");
  return 0;
}
// CHECK-DAG: warning: locks taken in a cycle of orders:{{.*}}[snag-lock-order-inversion]
