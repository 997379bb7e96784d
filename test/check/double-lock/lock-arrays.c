// double-lock and arrays of locks: m[3] and m[4] are two locks; taking the
// same constant element twice still deadlocks. Elements at indices snag
// cannot compute are one lock only when spelled the same in one function.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-double-lock]"

#include "mock-sync.h"

static pthread_mutex_t m[8];

void ok_two_elements(void) {
  pthread_mutex_lock(&m[3]);
  pthread_mutex_lock(&m[4]);
  pthread_mutex_unlock(&m[4]);
  pthread_mutex_unlock(&m[3]);
}

void bad_same_element_twice(void) {
  pthread_mutex_lock(&m[2]);
  pthread_mutex_lock(&m[2]);
  // CHECK: :[[@LINE-1]]:3: warning: `m[2]` is taken again{{.*}}[snag-double-lock]
  pthread_mutex_unlock(&m[2]);
  pthread_mutex_unlock(&m[2]);
}

static void lock_stripe(unsigned hv) { pthread_mutex_lock(&m[hv & 7]); }
static void unlock_stripe(unsigned hv) { pthread_mutex_unlock(&m[hv & 7]); }

static void touch_other(unsigned other) {
  lock_stripe(other);
  unlock_stripe(other);
}

void ok_two_stripes(unsigned a, unsigned b) {
  pthread_mutex_lock(&m[a & 7]);
  pthread_mutex_lock(&m[b & 7]);
  pthread_mutex_unlock(&m[b & 7]);
  pthread_mutex_unlock(&m[a & 7]);
  lock_stripe(a);
  touch_other(b);
  unlock_stripe(a);
}

void bad_same_stripe_twice(unsigned a) {
  pthread_mutex_lock(&m[a & 7]);
  pthread_mutex_lock(&m[a & 7]);
  // CHECK: :[[@LINE-1]]:3: warning: `m[a & 7]` is taken again{{.*}}[snag-double-lock]
  pthread_mutex_unlock(&m[a & 7]);
  pthread_mutex_unlock(&m[a & 7]);
}
