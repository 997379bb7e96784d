// double-lock and pthread mutexes made recursive: by their static
// initializer, or by a recursive attribute given to pthread_mutex_init.
// Re-taking those is fine; re-taking a mutex initialised by default still
// deadlocks.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-double-lock]"

#include "mock-sync.h"

#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP {1}

static pthread_mutex_t rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t by_attr, by_default;

void init_locks(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&by_attr, &a);
  pthread_mutex_init(&by_default, 0);
}

void ok_static_recursive_taken_twice(void) {
  pthread_mutex_lock(&rec);
  pthread_mutex_lock(&rec);
  pthread_mutex_unlock(&rec);
  pthread_mutex_unlock(&rec);
}

void ok_attr_recursive_taken_twice(void) {
  pthread_mutex_lock(&by_attr);
  pthread_mutex_lock(&by_attr);
  pthread_mutex_unlock(&by_attr);
  pthread_mutex_unlock(&by_attr);
}

void bad_plain_taken_twice(void) {
  pthread_mutex_lock(&plain);
  pthread_mutex_lock(&plain);
  // CHECK: :[[@LINE-1]]:3: warning: {{.*}}[snag-double-lock]
  pthread_mutex_unlock(&plain);
  pthread_mutex_unlock(&plain);
}

void bad_default_attr_taken_twice(void) {
  pthread_mutex_lock(&by_default);
  pthread_mutex_lock(&by_default);
  // CHECK: :[[@LINE-1]]:3: warning: {{.*}}[snag-double-lock]
  pthread_mutex_unlock(&by_default);
  pthread_mutex_unlock(&by_default);
}
