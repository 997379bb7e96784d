// snag run --profile: a lock that threads wait for comes first, with its
// waits and the call site that waited; a lock only one thread takes has
// none. The program is correct: no findings.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run --profile -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// CHECK: snag: lock contention profile (2 locks taken; most waited-for first):
// CHECK-NEXT: lock taken waited wait total wait max hold total hold max
// CHECK-NEXT: `busy` 6 {{[1-3]}} {{.*}} ms {{.*}} ms
// CHECK-NEXT: `quiet` 1000 0 0 ns 0 ns
//
// Without --profile, no profile.
// RUN: %snag run -- %t 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty --implicit-check-not="[snag-" --implicit-check-not=profile
// OFF-NOT: snag:
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t quiet = PTHREAD_MUTEX_INITIALIZER;
static atomic_int round_taken;

// Takes `busy` three times and holds it 100 ms each time, after telling the
// waiter it has it.
static void *holder(void *arg) {
  for (int round = 1; round <= 3; ++round) {
    pthread_mutex_lock(&busy);
    atomic_store(&round_taken, round);
    usleep(100 * 1000);
    pthread_mutex_unlock(&busy);
    while (atomic_load(&round_taken) != -round)
      usleep(1000);
  }
  return arg;
}

static void *waiter(void *arg) {
  for (int round = 1; round <= 3; ++round) {
    while (atomic_load(&round_taken) != round)
      usleep(1000);
    // CHECK-NEXT: snag: call sites that waited longest:
    pthread_mutex_lock(&busy); // CHECK-NEXT: profile.c:[[@LINE]]:5 in waiter: `busy`, {{[1-3]}} wait{{s?}}, {{.*}} ms in all, {{.*}} ms at most
    pthread_mutex_unlock(&busy);
    atomic_store(&round_taken, -round);
  }
  return arg;
}

int main(void) {
  pthread_t h, w;
  pthread_create(&h, 0, holder, 0);
  pthread_create(&w, 0, waiter, 0);
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&quiet);
    pthread_mutex_unlock(&quiet);
  }
  pthread_join(h, 0);
  pthread_join(w, 0);
  return 0;
}
