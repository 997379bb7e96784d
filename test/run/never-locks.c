// A program that never locks: no report, and its own exit status passes
// through.
// RUN: %clang -g -O1 %s -o %t
// RUN: %python %S/Inputs/expect-status.py 3 %snag run -- %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <stdio.h>

int main(void) {
  puts("hello");
  return 3;
}
// CHECK: hello
