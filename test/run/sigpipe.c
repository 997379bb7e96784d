// snag run whose stderr is closed before it writes its report (`snag run
// ... 2>&1 | head -1`): it is not killed by SIGPIPE; it cleans up and exits
// with its own failure status, 125, since the report was lost.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: rm -rf %t.tmp && mkdir -p %t.tmp
// RUN: %python %S/Inputs/signal-run.py PIPE %snag %t %t.tmp | FileCheck %s
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  usleep(100000); // let the reader go away first
  pthread_mutex_unlock(&m);
  return 0;
}
// CHECK: snag exit 125
// CHECK: report folder removed
