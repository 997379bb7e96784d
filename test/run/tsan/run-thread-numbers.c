// REQUIRES: runtime
// Thread numbers agree between the shim's findings and ThreadSanitizer's in
// one report: ThreadSanitizer's background thread takes no number.
// RUN: %clang -fsanitize=thread -g -O1 %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <unistd.h>

int x;
static void *first(void *a) {
  x++;
  return a;
}
static void *second(void *a) {
  usleep(50000);
  x++;
  return a;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, first, 0);
  // CHECK-DAG: run-thread-numbers.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T1 finished but was never joined{{.*}} [snag-missing-join]
  pthread_create(&b, 0, second, 0);
  pthread_join(b, 0);
  usleep(50000);
  return 0;
}
// CHECK-DAG: warning: threads touch `x` at the same time{{.*}}: T2 (write of size 4 in second{{.*}}) and T1 (write of size 4 in first{{.*}} [snag-data-race]
