// snag run's exit status, as the sanitizers and timeout/env have it: the
// program's own status when nothing is found, 66 (or --exitcode N) with
// findings, 125 when snag fails, 126 for a program that cannot be run, 127
// for one that is not found.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %python %S/Inputs/expect-status.py 0 %snag run -- %t clean 0
// RUN: %python %S/Inputs/expect-status.py 1 %snag run -- %t clean 1
// RUN: %python %S/Inputs/expect-status.py 2 %snag run -- %t clean 2
// RUN: %python %S/Inputs/expect-status.py 66 %snag run -- %t bad 0
// RUN: %python %S/Inputs/expect-status.py 66 %snag run -- %t bad 1
// RUN: %python %S/Inputs/expect-status.py 9 %snag run --exitcode 9 -- %t bad 0
// RUN: %python %S/Inputs/expect-status.py 127 %snag run -- %t.does-not-exist
// RUN: %python %S/Inputs/expect-status.py 127 %snag run -- no-such-program-anywhere
// RUN: cp %s %t.not-executable && chmod -x %t.not-executable
// RUN: %python %S/Inputs/expect-status.py 126 %snag run -- %t.not-executable
// RUN: %python %S/Inputs/expect-status.py 126 %snag run -- %S
// RUN: %python %S/Inputs/expect-status.py 125 %snag run --exitcode 0 -- %t clean 0
// RUN: %python %S/Inputs/expect-status.py 125 %snag run --no-such-flag -- %t clean 0
// RUN: rm -rf %t.tmp && mkdir -p %t.tmp
// RUN: env TMPDIR=%t.tmp %python %S/Inputs/expect-status.py 125 %snag run -o %t.dir/no/such/folder/r.txt -- %t bad 0
// A report that could not be written still leaves no report folder behind.
// RUN: ls -A %t.tmp | count 0
// RUN: not %snag run -- %t bad 3 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// RUN: not %snag run --format json -o %t.json -- %t bad 3
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: not %snag run --format sarif -o %t.sarif -- %t clean 4
// RUN: FileCheck %s --check-prefix=SARIF < %t.sarif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "bad") == 0)
    pthread_mutex_unlock(&m);
  // CHECK: exit-codes.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `m`, which no thread holds{{.*}} [snag-unlock-not-held]
  return argc > 2 ? atoi(argv[2]) : 0;
}
// JSON: "run": {
// JSON-NEXT: "processesObserved": 1,
// JSON-NEXT: "programExitStatus": 3
// SARIF: "invocations": [
// SARIF: "properties": {
// SARIF-NEXT: "processesObserved": 1,
// SARIF-NEXT: "programExitStatus": 4
