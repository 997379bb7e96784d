// Clang's thread-safety annotations say that a function returns holding a
// lock on purpose.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define EXCLUSIVE_LOCK_FUNCTION(...) __attribute__((exclusive_lock_function(__VA_ARGS__)))

std::mutex m;

void ok_annotated_acquire() ACQUIRE(m) { m.lock(); }
void ok_old_style_annotation() EXCLUSIVE_LOCK_FUNCTION(m) { m.lock(); }

void bad_not_annotated_helper(int v) {
  m.lock();
  // CHECK: :[[@LINE-1]]:5: warning: {{.*}} [snag-lock-not-released]
  if (v)
    return;
  m.unlock();
}
