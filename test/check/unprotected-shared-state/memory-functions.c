// unprotected-shared-state and the C library's memory and string functions:
// memset/memcpy/strcpy write what their destination points to, and read
// what their source points to. Look-alikes: a local buffer, a shared
// table only read, both sides under one lock, a buffer filled before the
// threads start.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <pthread.h>
#include <string.h>

static char line[64];
static char name[32];
static char label[32];
static struct { int hits, misses; } stats;
static const char greeting[] = "hello";
static char table[16];
static char guarded[64];
static char prepared[64];
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *reset(void *arg) {
  memset(line, 0, sizeof line);
  // CHECK: :[[@LINE-1]]:10: warning: `line` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  strcpy(name, "worker");
  // CHECK: :[[@LINE-1]]:10: warning: `name` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  memset(&stats, 0, sizeof stats);
  // CHECK: :[[@LINE-1]]:10: warning: `stats` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  char local[64];
  memcpy(local, greeting, sizeof greeting);
  memcpy(local, table, sizeof table);
  pthread_mutex_lock(&m);
  memset(guarded, 0, sizeof guarded);
  pthread_mutex_unlock(&m);
  return (void *)(long)(local[0] + prepared[0] + memcmp(label, "x", 1));
}

static void *report(void *arg) {
  stats.hits++;
  // CHECK: :[[@LINE-1]]:9: warning: `stats.hits` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  size_t n = strlen(name);
  strcpy(label, "report");
  // CHECK: :[[@LINE-1]]:10: warning: `label` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  // CHECK-NEXT: strcpy(label, "report");
  // CHECK-NEXT: ^
  // CHECK-NEXT: memory-functions.c:[[@LINE-11]]:{{[0-9]+}}: note: conflicting read of `label` in `reset`
  pthread_mutex_lock(&m);
  n += strlen(guarded);
  pthread_mutex_unlock(&m);
  return (void *)(n + (size_t)line[0] + (size_t)table[1] + (size_t)prepared[1]);
  // CHECK: :[[@LINE-1]]:31: warning: `line` is read by threads that may run at once{{.*}}[snag-unprotected-shared-state]
}

int main(void) {
  memset(prepared, 'x', sizeof prepared);
  memcpy(table, "0123456789abcdef", sizeof table);
  pthread_t a, b, c;
  pthread_create(&a, 0, reset, 0);
  pthread_create(&b, 0, reset, 0);
  pthread_create(&c, 0, report, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  pthread_join(c, 0);
  return 0;
}
