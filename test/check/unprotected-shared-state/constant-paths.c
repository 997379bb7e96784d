// unprotected-shared-state and paths a constant decides: a lock taken under
// an always-true condition is held, and code under an always-false one (or
// after a call that never returns) runs on no path. A condition that is not
// a constant decides nothing.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <pthread.h>
#include <stdlib.h>

#define USE_LOCKING 1
#define DEBUG 0

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long count, debug_hits, unlocked, after_abort, maybe;
static int verbose;

static void *worker(void *arg) {
  if (USE_LOCKING)
    pthread_mutex_lock(&m);
  count++;
  if (USE_LOCKING)
    pthread_mutex_unlock(&m);
  if (DEBUG)
    debug_hits++;
  if (!USE_LOCKING)
    unlocked++;
  if (sizeof(long) == 0) {
    abort();
    after_abort++;
  }
  if (verbose)
    maybe++;
  // CHECK: :[[@LINE-1]]:5: warning: `maybe` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return arg;
}

static void *stopper(void *arg) {
  abort();
  after_abort = 1;
  return arg;
}

int main(void) {
  pthread_t t[3];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], 0, worker, 0);
  pthread_create(&t[2], 0, stopper, 0);
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], 0);
  return 0;
}
