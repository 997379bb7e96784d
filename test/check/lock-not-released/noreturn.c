// lock-not-released: a failed assert(), abort() or exit() inside a critical
// section ends the process, so no caller ever finds the lock still held.
// A plain early return still leaves it held.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-lock-not-released]"

#include "mock-sync.h"

void abort(void) __attribute__((noreturn));
void exit(int) __attribute__((noreturn));
void __assert_fail(const char *, const char *, unsigned, const char *)
    __attribute__((noreturn));
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int total;

void ok_assert_in_critical_section(int x) {
  pthread_mutex_lock(&m);
  assert(x > 0);
  total += x;
  pthread_mutex_unlock(&m);
}

void ok_abort_in_critical_section(int x) {
  pthread_mutex_lock(&m);
  if (x < 0)
    abort();
  total += x;
  pthread_mutex_unlock(&m);
}

void ok_exit_in_critical_section(int x) {
  pthread_mutex_lock(&m);
  if (x == 0)
    exit(1);
  total += x;
  pthread_mutex_unlock(&m);
}

int bad_early_return_in_critical_section(int x) {
  pthread_mutex_lock(&m);
  // CHECK: :[[@LINE-1]]:3: warning: `m` is locked here and may still be held when `bad_early_return_in_critical_section` returns{{.*}}[snag-lock-not-released]
  if (x < 0)
    return -1;
  total += x;
  pthread_mutex_unlock(&m);
  return 0;
}
