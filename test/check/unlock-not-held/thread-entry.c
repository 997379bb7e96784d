// unlock-not-held at a thread's entry: a new thread holds no lock, so an
// unlock of a global mutex it took on no path is certain to be wrong. A
// function that something also calls directly may be releasing its caller's
// lock, and a thread that takes the lock first is fine.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unlock-not-held]"

#include "mock-sync.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int value;

static void *bad_thread_unlocks_what_it_never_took(void *arg) {
  (void)arg;
  value = 1;
  pthread_mutex_unlock(&m);
  // CHECK: :[[@LINE-1]]:3: warning: `m` is unlocked here, but `bad_thread_unlocks_what_it_never_took` runs as a thread, which starts holding no lock{{.*}}[snag-unlock-not-held]
  return 0;
}

static void *ok_thread_takes_it_first(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  value = 2;
  pthread_mutex_unlock(&m);
  return 0;
}

/* Also called by a function that holds m: it releases its caller's lock. */
static void *ok_also_called_directly(void *arg) {
  (void)arg;
  pthread_mutex_unlock(&m);
  return 0;
}
void hand_back(void) {
  pthread_mutex_lock(&m);
  ok_also_called_directly(0);
}

int main(void) {
  pthread_t a, b, c;
  pthread_create(&a, 0, bad_thread_unlocks_what_it_never_took, 0);
  pthread_create(&b, 0, ok_thread_takes_it_first, 0);
  pthread_create(&c, 0, ok_also_called_directly, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  pthread_join(c, 0);
  return 0;
}
