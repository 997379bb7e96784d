// unprotected-shared-state and joins a path decides: a start and a join
// under the same unchanged condition go together, and pthread_tryjoin_np
// joins where it returned 0. Under another condition, a condition changed in
// between, or on the branch where the try failed, the thread may still run.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#define _GNU_SOURCE
#include <pthread.h>

static long same, other_cond, changed, tried, failed;

static void *w_same(void *x) { same++; return x; }
static void *w_other(void *x) {
  other_cond++;
  // CHECK: :[[@LINE-1]]:3: warning: `other_cond` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return x;
}
static void *w_changed(void *x) {
  changed++;
  // CHECK: :[[@LINE-1]]:3: warning: `changed` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return x;
}
static void *w_tried(void *x) { tried++; return x; }
static void *w_failed(void *x) {
  failed++;
  // CHECK: :[[@LINE-1]]:3: warning: `failed` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return x;
}

int main(int argc, char **argv) {
  int threaded = argc > 1, verbose = argc > 2, again = argc > 3;
  pthread_t t1, t2, t3, t4, t5;

  if (threaded)
    pthread_create(&t1, 0, w_same, 0);
  if (threaded)
    pthread_join(t1, 0);
  same = 1;

  if (threaded)
    pthread_create(&t2, 0, w_other, 0);
  if (verbose)
    pthread_join(t2, 0);
  other_cond = 1;

  if (again)
    pthread_create(&t3, 0, w_changed, 0);
  again = 0;
  if (again)
    pthread_join(t3, 0);
  changed = 1;

  pthread_create(&t4, 0, w_tried, 0);
  if (pthread_tryjoin_np(t4, 0) == 0)
    tried = 1;
  else
    pthread_join(t4, 0);
  tried = 2;

  pthread_create(&t5, 0, w_failed, 0);
  if (!pthread_tryjoin_np(t5, 0))
    return 0;
  failed = 1;
  pthread_join(t5, 0);
  return 0;
}
