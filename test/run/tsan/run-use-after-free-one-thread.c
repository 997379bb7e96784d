// REQUIRES: runtime
// A use after free in a program with one thread: the message does not speak
// of another thread.
// RUN: %clang -fsanitize=thread -g -O1 %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  int *p = malloc(sizeof(int) * 4);
  p[0] = 1;
  free(p);
  volatile int *q = p;
  q[1] = 2;
  // CHECK: run-use-after-free-one-thread.c:[[@LINE-1]]:{{[0-9]+}}: warning: memory is used after it was freed: {{.*}} [snag-heap-use-after-free]
  return 0;
}
// CHECK-NOT: another thread
