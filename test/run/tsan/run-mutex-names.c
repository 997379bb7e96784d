// REQUIRES: runtime
// ThreadSanitizer names mutexes by its own ids (M0); snag names them after
// their variables, as the shim does, using the shim's record of the same
// process.
// RUN: %clang -fsanitize=thread -g -O1 %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static int hits;

static void *locked_writer(void *arg) {
  pthread_mutex_lock(&stats_lock);
  hits++;
  pthread_mutex_unlock(&stats_lock);
  return arg;
}

static void *bare_writer(void *arg) {
  usleep(100000);
  hits++;
  return arg;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, locked_writer, NULL);
  pthread_create(&b, NULL, bare_writer, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
// CHECK: warning: threads touch `hits` at the same time with nothing ordering them: {{.*}}holding write `stats_lock`{{.*}} [snag-data-race]
// CHECK-NOT: {{\bM[0-9]+\b}}
