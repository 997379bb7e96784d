// A program killed by a signal: 128+N when snag found nothing, and JSON
// names the signal.
// RUN: %clang -g -O1 %s -o %t
// RUN: %python %S/Inputs/expect-status.py 134 %snag run -- %t
// RUN: %snag run --format json -o %t.json -- %t || true
// RUN: FileCheck %s < %t.json
#include <stdlib.h>

int main(void) { abort(); }
// CHECK: "run": {
// CHECK-NEXT: "processesObserved": 1,
// CHECK-NEXT: "programSignal": "SIGABRT"
