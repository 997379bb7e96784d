// A program built without -g: a finding still has a location (the binary,
// with the module and offset and the function when its symbol is known),
// every SARIF result has one, and snag says once to rebuild with -g.
// RUN: %clang -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// RUN: not %snag run --format sarif -o %t.sarif -- %t
// RUN: %python -c "import json,sys; r=json.load(open(sys.argv[1]))['runs'][0]['results']; assert r and all(x.get('locations') for x in r), r; print(r[0]['locations'][0]['physicalLocation']['artifactLocation']['uri'])" %t.sarif | FileCheck %s --check-prefix=SARIF
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) void release_twice(void) {
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
}

int main(void) {
  release_twice();
  return 0;
}
// CHECK-DAG: {{.*}}no-debug-info.c.tmp: warning: thread T0 unlocks `a`, which no thread holds{{.*}} (in no-debug-info.c.tmp+0x{{[0-9a-f]+}}, release_twice) [snag-unlock-not-held]
// CHECK-DAG: {{.*}}no-debug-info.c.tmp: warning: thread T0 unlocks `b`, which no thread holds{{.*}} (in no-debug-info.c.tmp+0x{{[0-9a-f]+}}, {{release_twice|main}}) [snag-unlock-not-held]
// CHECK: snag run: note: no-debug-info.c.tmp has no debug information, so its findings have no source line; rebuild it with -g for file and line
// CHECK-NOT: snag run: note:
// SARIF: no-debug-info.c.tmp
