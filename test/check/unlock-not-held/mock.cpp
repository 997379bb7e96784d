// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

std::mutex m;
std::shared_mutex sm;
int value;

void bad_unlock_twice() {
  m.lock();
  value++;
  m.unlock();
  m.unlock();
  // CHECK: :[[@LINE-1]]:5: warning: `m` is unlocked here but is not held{{.*}} [snag-unlock-not-held]
  // CHECK: :[[@LINE-3]]:5: note: `m` was released here
}

void bad_unlock_on_one_path(int v) {
  if (v)
    m.lock();
  value++;
  m.unlock();
  // CHECK: :[[@LINE-1]]:5: warning: `m` is unlocked here but is not held on some path{{.*}} [snag-unlock-not-held]
}

void bad_unlock_under_guard() {
  std::lock_guard<std::mutex> g(m);
  m.unlock();
  // CHECK: :[[@LINE-1]]:5: warning: `m` is unlocked here{{.*}}guard{{.*}} [snag-unlock-not-held]
}

void bad_unlock_after_try_lock_failed() {
  if (!m.try_lock())
    value = -1;
  m.unlock();
  // CHECK: :[[@LINE-1]]:5: warning: `m` is unlocked here but is not held on some path{{.*}} [snag-unlock-not-held]
}

void bad_unique_lock_unlocked_twice() {
  std::unique_lock<std::mutex> lk(m);
  lk.unlock();
  lk.unlock();
  // CHECK: :[[@LINE-1]]:6: warning: `m` is unlocked here but is not held{{.*}} [snag-unlock-not-held]
}

void ok_balanced() {
  m.lock();
  value++;
  m.unlock();
}

void ok_unlock_in_every_branch(int v) {
  m.lock();
  if (v) {
    m.unlock();
    return;
  }
  value++;
  m.unlock();
}

void ok_try_lock_success_branch() {
  if (m.try_lock()) {
    value++;
    m.unlock();
  }
}

void ok_correlated_condition(bool shared) {
  if (shared)
    m.lock();
  value++;
  if (shared)
    m.unlock();
}

void ok_unique_lock_unlock_relock() {
  std::unique_lock<std::mutex> lk(m);
  lk.unlock();
  value++;
  lk.lock();
}

void ok_deferred_unique_lock(bool take) {
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  if (take)
    lk.lock();
}

void ok_shared_unlock() {
  sm.lock_shared();
  value++;
  sm.unlock_shared();
}

void ok_loop_balanced(int n) {
  for (int i = 0; i < n; ++i) {
    m.lock();
    value += i;
    m.unlock();
  }
}

// The caller holds the lock: a function that only releases it is an unlock
// function by design, and so is a function whose parameter is the lock.
void unlock_queue() { m.unlock(); }
void ok_release_for_caller(std::mutex &mu) { mu.unlock(); }

struct Table {
  std::mutex mu;
  void lock() { mu.lock(); }
  void unlock() { mu.unlock(); }
  void ok_unlock_and_relock() {
    mu.unlock();
    value++;
    mu.lock();
  }
};

void ok_condvar_wait_keeps_lock(std::condition_variable &cv) {
  std::unique_lock<std::mutex> lk(m);
  while (!value)
    cv.wait(lk);
  lk.unlock();
}
