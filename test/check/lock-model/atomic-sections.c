// Verification harnesses' atomic sections (the SV-COMP convention):
// __VERIFIER_atomic_begin()/__VERIFIER_atomic_end() bracket code that runs
// atomically, and a function named __VERIFIER_atomic_* runs atomically as a
// whole. Accesses inside exclude each other like accesses under one lock.
// Look-alikes: an access after the section ends, a function named like one
// without the prefix.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="warning:"

#include <pthread.h>

extern void __VERIFIER_atomic_begin(void);
extern void __VERIFIER_atomic_end(void);

int counter;
int total;
int after;
int plain;

void __VERIFIER_atomic_inc(void) { total++; }
void atomic_inc(void) { plain++; }
// CHECK: :[[@LINE-1]]:25: warning: `plain` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]

void *worker(void *arg) {
  __VERIFIER_atomic_begin();
  counter++;
  __VERIFIER_atomic_end();
  after++;
  // CHECK: :[[@LINE-1]]:3: warning: `after` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  __VERIFIER_atomic_inc();
  atomic_inc();
  return arg;
}

int main(void) {
  pthread_t t[3];
  for (int i = 0; i < 3; i++)
    pthread_create(&t[i], 0, worker, 0);
  __VERIFIER_atomic_begin();
  int seen = counter + total;
  __VERIFIER_atomic_end();
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], 0);
  return seen;
}
