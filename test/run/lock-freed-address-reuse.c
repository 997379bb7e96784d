// A lock whose memory is freed without a destroy call is gone: a lock later
// made at the same address is a new lock. Each round takes the block's
// locks and `g` in the order opposite to the round before; no two rounds
// share a block lock, so there is no cycle. Robust mutexes are known by
// their address only; plain ones by a seal inside the object.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// CHECK: addresses reused: yes
//
// A freed lock's record is given back even when it is in the lock-order
// graph: 200,000 locks taken inside `g` and freed leave memory flat.
// RUN: %snag run -- %t churn 2>&1 | FileCheck %s --check-prefix=CHURN --implicit-check-not="[snag-"
// CHURN: memory growth under 16 MiB: yes
//
// The look-alike: a freed lock's edges still count. `a` (in a heap block)
// is taken before `b`, then after `c`, and freed; then `b` is taken before
// `c`. Run at once, those three threads could deadlock.
// RUN: not %snag run -- %t freed 2>&1 | FileCheck %s --check-prefix=FREED --implicit-check-not="[snag-"
// FREED: warning: locks taken in a cycle of orders: {{.*}}`c`{{.*}}`b`{{.*}} [snag-lock-order-inversion]
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Block {
  pthread_mutex_t robust;
  pthread_mutex_t plain;
  pthread_mutex_t a;
};

static pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;
static struct Block *block;
static int round_number;

static void *alternate(void *arg) {
  pthread_mutex_t *first = round_number % 2 ? &block->robust : &g;
  pthread_mutex_t *second = round_number % 2 ? &g : &block->robust;
  pthread_mutex_lock(first);
  pthread_mutex_lock(second);
  pthread_mutex_lock(&block->plain);
  pthread_mutex_unlock(&block->plain);
  pthread_mutex_unlock(second);
  pthread_mutex_unlock(first);
  if (round_number % 2 == 0) { // and the plain one before g
    pthread_mutex_lock(&block->plain);
    pthread_mutex_lock(&g);
    pthread_mutex_unlock(&g);
    pthread_mutex_unlock(&block->plain);
  }
  return arg;
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = 0;
  while (f && fgets(line, sizeof(line), f))
    if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
      break;
  if (f)
    fclose(f);
  return kib;
}

static void *churn(void *arg) {
  for (int i = 0; i < 100000; ++i) {
    pthread_mutex_t *m = malloc(sizeof(*m));
    pthread_mutex_init(m, NULL);
    pthread_mutex_lock(&g);
    pthread_mutex_lock(m);
    pthread_mutex_unlock(m);
    pthread_mutex_unlock(&g);
    free(m);
  }
  return arg;
}

static void nest(pthread_mutex_t *first, pthread_mutex_t *second) {
  pthread_mutex_lock(first);
  pthread_mutex_lock(second);
  pthread_mutex_unlock(second);
  pthread_mutex_unlock(first);
}
static void *a_then_b(void *arg) { nest(&block->a, &b); return arg; }
static void *c_then_a(void *arg) { nest(&c, &block->a); return arg; }
static void *b_then_c(void *arg) { nest(&b, &c); return arg; }

static void run(void *(*fn)(void *)) {
  pthread_t t;
  pthread_create(&t, NULL, fn, NULL);
  pthread_join(t, NULL);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "freed") == 0) {
    block = calloc(1, sizeof(*block));
    pthread_mutex_init(&block->a, NULL);
    run(a_then_b);
    run(c_then_a);
    free(block);
    run(b_then_c);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "churn") == 0) {
    run(churn); // warm up: the runtime's tables are mapped once
    long before = rss_kib();
    run(churn);
    run(churn);
    long growth = rss_kib() - before;
    printf("memory growth under 16 MiB: %s (%ld KiB)\n", growth < 16384 ? "yes" : "no", growth);
    return 0;
  }
  pthread_mutexattr_t robust;
  pthread_mutexattr_init(&robust);
  pthread_mutexattr_setrobust(&robust, PTHREAD_MUTEX_ROBUST);
  int reused = 0;
  void *last = NULL;
  for (round_number = 0; round_number < 50; ++round_number) {
    block = malloc(sizeof(*block));
    pthread_mutex_init(&block->robust, &robust);
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    block->plain = fresh;
    reused += (void *)block == last;
    last = block;
    run(alternate);
    free(block); // no pthread_mutex_destroy
  }
  printf("addresses reused: %s\n", reused > 25 ? "yes" : "no");
  return 0;
}
