// A finding inside a function of the program whose only job is to forward
// to a lock call with its parameter (pigz's possess() and release() in
// yarn.c, declared in no .snag.yaml) is placed at the user's call site; the
// wrapper's frame stays in the stack. Functions that do real work besides
// the lock call are where the finding is.
// RUN: %clang -g -O0 -pthread %s %S/Inputs/undeclared-wrapper/yarn.c -o %t
// RUN: not %snag run -- %t release 2>&1 | FileCheck %s --check-prefix=RELEASE --implicit-check-not="[snag-"
// RUN: not %snag run -- %t inversion 2>&1 | FileCheck %s --check-prefix=INVERSION --implicit-check-not="[snag-"
// RUN: not %snag run -- %t twist 2>&1 | FileCheck %s --check-prefix=TWIST --implicit-check-not="[snag-"
// RUN: not %snag run -- %t counted 2>&1 | FileCheck %s --check-prefix=COUNTED --implicit-check-not="[snag-"
#include <pthread.h>
#include <string.h>

typedef struct {
  pthread_mutex_t mutex;
  long value;
} lock;
void possess(lock *bolt);
void release(lock *bolt);
void twist_by(lock *bolt, long val);
void release_counted(lock *bolt);

static lock table = {PTHREAD_MUTEX_INITIALIZER, 0};
static lock pool = {PTHREAD_MUTEX_INITIALIZER, 0};

static void *table_then_pool(void *arg) {
  possess(&table);
  possess(&pool);
  // INVERSION-DAG: lock-wrapper-undeclared.c:[[@LINE-1]]:3: note: thread T1 takes `pool` while holding `table`
  release(&pool);
  release(&table);
  return arg;
}

static void *pool_then_table(void *arg) {
  possess(&pool);
  possess(&table);
  // INVERSION-DAG: lock-wrapper-undeclared.c:[[@LINE-1]]:3: warning: locks taken in a cycle of orders{{.*}} [snag-lock-order-inversion]
  release(&table);
  release(&pool);
  return arg;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "release") == 0)
    release(&table);
  // RELEASE: lock-wrapper-undeclared.c:[[@LINE-1]]:5: warning: thread T0 unlocks `table`, which no thread holds{{.*}} [snag-unlock-not-held]
  // RELEASE: #0 release {{.*}}yarn.c:28
  // RELEASE-NEXT: #1 main {{.*}}lock-wrapper-undeclared.c:[[@LINE-3]]
  if (strcmp(mode, "twist") == 0)
    twist_by(&table, 1);
  // TWIST: yarn.c:37:{{[0-9]+}}: warning: thread T0 unlocks `table`, which no thread holds{{.*}} [snag-unlock-not-held]
  if (strcmp(mode, "counted") == 0)
    release_counted(&table);
  // COUNTED: yarn.c:46:{{[0-9]+}}: warning: thread T0 unlocks `table`, which no thread holds{{.*}} [snag-unlock-not-held]
  if (strcmp(mode, "inversion") == 0) {
    pthread_t t;
    pthread_create(&t, 0, table_then_pool, 0);
    pthread_join(t, 0);
    pthread_create(&t, 0, pool_then_table, 0);
    pthread_join(t, 0);
  }
  return 0;
}
