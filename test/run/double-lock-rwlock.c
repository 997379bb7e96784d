// A reader asking for the write lock of the rwlock it holds waits for
// itself forever: reported as double-lock, and the process is ended.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t table = PTHREAD_RWLOCK_INITIALIZER;

int main(void) {
  pthread_rwlock_rdlock(&table);
  pthread_rwlock_rdlock(&table); // a second read lock is fine
  pthread_rwlock_unlock(&table);
  puts("upgrading");
  fflush(stdout);
  pthread_rwlock_wrlock(&table);
  // CHECK: double-lock-rwlock.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 locks `table`, which it already holds: a non-recursive lock taken again by its holder waits for itself forever [snag-double-lock]
  puts("never printed");
  return 0;
}
// CHECK-NOT: never printed
// CHECK: snag ended process
