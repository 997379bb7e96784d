// The runtime starts without calling into the program: glibc's backtrace()
// runs pthread_once, which a program (or a library it loads) may define
// itself, before main. The runtime unwinds with libgcc's unwinder directly.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// And stacks are still taken.
// RUN: not %snag run -- %t bad 2>&1 | FileCheck %s --check-prefix=BAD
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int Calls;
int pthread_once(pthread_once_t *Once, void (*Init)(void)) {
  ++Calls;
  if (*Once == 0) {
    *Once = 1;
    Init();
  }
  return 0;
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv) {
  printf("pthread_once calls before main: %d\n", Calls);
  if (argc > 1)
    pthread_mutex_unlock(&m);
  // BAD: startup-calls-no-program-code.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `m`{{.*}} [snag-unlock-not-held]
  // BAD-NEXT: pthread_mutex_unlock(&m);
  // BAD: #0 main {{.*}}startup-calls-no-program-code.c:[[@LINE-3]]
  return 0;
}
// CHECK: pthread_once calls before main: 0
