// unprotected-shared-state and threads that each write their own element:
// thread i, started in a loop over i with i as its argument, writes
// slot[i] (directly, or through a local copy of the argument) and no other
// thread writes that element. Look-alikes that are races: an element
// next to its own, a constant element, an index the thread changes, an
// index that is not the loop's, main reading while the threads run, and
// two loops starting the same function at once.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <pthread.h>
#include <stdint.h>

#define N 8
static int own[N];
static int copied[N];
static int next[N];
static int first[N];
static int moved[N];
static int other[N];
static int watched[N];
static int twice[N];
static int offset;

static void *write_own(void *arg) {
  own[(intptr_t)arg] = 1;
  return 0;
}

static void *write_copied(void *arg) {
  long i = (long)arg;
  copied[i] += 2;
  return 0;
}

static void *write_next(void *arg) {
  long i = (long)arg;
  next[(i + 1) % N] = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `next` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return 0;
}

static void *write_first(void *arg) {
  first[0] = (int)(intptr_t)arg;
  // CHECK: :[[@LINE-1]]:3: warning: `first` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return 0;
}

static void *write_moved(void *arg) {
  long i = (long)arg;
  i = (i + 3) % N;
  moved[i] = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `moved` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return 0;
}

static void *write_other(void *arg) {
  other[offset] = (int)(intptr_t)arg;
  // CHECK: :[[@LINE-1]]:3: warning: `other` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return 0;
}

static void *write_watched(void *arg) {
  watched[(intptr_t)arg] = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `watched` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return 0;
}

static void *write_twice(void *arg) {
  twice[(intptr_t)arg]++;
  // CHECK: :[[@LINE-1]]:3: warning: `twice` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return 0;
}

static void start_all(void *(*fn)(void *)) {
  pthread_t t[N];
  for (intptr_t i = 0; i < N; i++)
    pthread_create(&t[i], 0, fn, (void *)i);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);
}

int main(void) {
  pthread_t t[N], u[N];
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, write_own, (void *)i);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, write_copied, (void *)i);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, write_next, (void *)i);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, write_first, (void *)i);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, write_moved, (void *)i);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, write_other, (void *)i);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);

  // main reads every element while the threads write theirs (the join
  // loops above, over the same array, end the threads started before them).
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, write_watched, (void *)i);
  int sum = 0;
  for (int i = 0; i < N; i++)
    sum += watched[i];
  // CHECK: :[[@LINE-1]]:12: warning: `watched` is read by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);

  // Two loops at once: thread i of each writes twice[i].
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, write_twice, (void *)i);
  for (long i = 0; i < N; i++)
    pthread_create(&u[i], 0, write_twice, (void *)i);
  for (int i = 0; i < N; i++) {
    pthread_join(t[i], 0);
    pthread_join(u[i], 0);
  }

  // Through a starter of the user's: each thread still gets its own index.
  start_all(write_own);
  return sum;
}
