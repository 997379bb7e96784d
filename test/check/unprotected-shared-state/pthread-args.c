// unprotected-shared-state through pthread_create's argument: a pointer to a
// local, a heap block shared by several workers, one element each, and the
// joins that end them (a loop of joins, one element, a copy of the pointer).
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-sync.h"

void *malloc(unsigned long);

static void *bump(void *arg) {
  long *c = arg;
  (*c)++;
  // CHECK: :[[@LINE-1]]:4: warning: `*c` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: conflicting write of `count` in `bad_local_handed_by_pointer`
  return 0;
}
int bad_local_handed_by_pointer(void) {
  long count = 0;
  pthread_t t;
  pthread_create(&t, 0, bump, &count);
  count++;
  pthread_join(t, 0);
  return (int)count;
}

static void *bump_quietly(void *arg) {
  long *c = arg;
  (*c)++;
  return 0;
}
int ok_local_read_after_join(void) {
  long count = 0;
  pthread_t t;
  pthread_create(&t, 0, bump_quietly, &count);
  pthread_join(t, 0);
  return (int)count;
}

struct shared {
  long total;
};
static void *add(void *arg) {
  struct shared *s = arg;
  s->total += 1;
  // CHECK: :[[@LINE-1]]:6: warning: `s->total` is written by threads that may run at once{{.*}}two threads can write{{.*}}[snag-unprotected-shared-state]
  return 0;
}
int bad_heap_block_shared_by_workers(void) {
  struct shared *s = malloc(sizeof *s);
  s->total = 0; // before any thread: not a race
  pthread_t t[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], 0, add, s);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], 0);
  return (int)s->total; // after the loop of joins: not a race
}

struct job {
  long result;
};
static void *compute(void *arg) {
  struct job *j = arg;
  j->result = 42;
  return 0;
}
int ok_each_worker_its_own_block(void) {
  pthread_t t[4];
  struct job *jobs[4];
  for (int i = 0; i < 4; i++) {
    struct job *j = malloc(sizeof *j);
    jobs[i] = j;
    pthread_create(&t[i], 0, compute, j);
  }
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], 0);
  return 0;
}

static void *fill(void *arg) {
  long *slot = arg;
  *slot = 7;
  return 0;
}
long ok_each_worker_its_own_slot(void) {
  long slots[8];
  pthread_t t[8];
  for (int i = 0; i < 8; i++)
    pthread_create(&t[i], 0, fill, &slots[i]);
  for (int i = 0; i < 8; i++)
    pthread_join(t[i], 0);
  long sum = 0;
  for (int i = 0; i < 8; i++)
    sum += slots[i];
  return sum;
}

static void *fill_too(void *arg) {
  long *slot = arg;
  *slot = 7;
  // CHECK: :[[@LINE-1]]:3: warning: `*slot` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  // CHECK-NEXT: *slot = 7;
  // CHECK: :[[@LINE+10]]:16: note: conflicting read of `slots` in `bad_one_join_is_not_all`
  // CHECK: :[[@LINE+7]]:3: note: a thread running `fill_too` is started here
  return 0;
}
long bad_one_join_is_not_all(void) {
  long slots[2];
  pthread_t t[2];
  pthread_create(&t[0], 0, fill_too, &slots[0]);
  pthread_create(&t[1], 0, fill_too, &slots[1]);
  pthread_join(t[0], 0);
  long first = slots[1];
  pthread_join(t[1], 0);
  return first;
}

static void *fill_three(void *arg) {
  long *slot = arg;
  *slot = 7;
  return 0;
}
long ok_join_the_one_you_read(void) {
  long slots[2];
  pthread_t t[2];
  pthread_create(&t[0], 0, fill_three, &slots[0]);
  pthread_create(&t[1], 0, fill_three, &slots[1]);
  pthread_join(t[1], 0);
  long second = slots[1];
  pthread_join(t[0], 0);
  return second;
}

/* A block filled in before it is handed to the thread, by a function that
   runs twice: each call fills its own block. */
struct capsule {
  long first, second;
};
static void *open_capsule(void *arg) {
  struct capsule *c = arg;
  return (void *)(c->first + c->second);
}
static pthread_t ok_fill_block_then_hand_it_over(long a, long b) {
  struct capsule *c = malloc(sizeof *c);
  c->first = a;
  c->second = b;
  pthread_t id;
  pthread_create(&id, 0, open_capsule, c);
  return id;
}
static void *read_capsule_late(void *arg) {
  struct capsule *c = arg;
  return (void *)c->first;
}
static pthread_t bad_write_after_handing_it_over(long a) {
  struct capsule *c = malloc(sizeof *c);
  c->first = a;
  pthread_t id;
  pthread_create(&id, 0, read_capsule_late, c);
  c->first = 0;
  // CHECK: :[[@LINE-1]]:6: warning: `c->first` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return id;
}
int run_capsules(void) {
  pthread_t a = ok_fill_block_then_hand_it_over(1, 2);
  pthread_t b = ok_fill_block_then_hand_it_over(3, 4);
  pthread_t c = bad_write_after_handing_it_over(5);
  pthread_join(a, 0);
  pthread_join(b, 0);
  pthread_join(c, 0);
  return 0;
}
