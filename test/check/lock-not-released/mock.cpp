// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

std::mutex m;
std::recursive_mutex rm;
std::shared_mutex sm;
int value;
int items[16];
void may_throw(int);
void never_throws(int) noexcept;

bool bad_early_return(int v) {
  m.lock();
  // CHECK: :[[@LINE-1]]:5: warning: `m` is locked here and may still be held when `bad_early_return` returns{{.*}} [snag-lock-not-released]
  if (v < 0)
    return false;
  // CHECK: :[[@LINE-1]]:5: note: `bad_early_return` returns here with `m` held
  value = v;
  m.unlock();
  return true;
}

void bad_exception_edge(int v) {
  m.lock();
  // CHECK: :[[@LINE-1]]:5: warning: `m` is locked here and may still be held{{.*}} [snag-lock-not-released]
  may_throw(v);
  // CHECK: :[[@LINE-1]]:3: note: an exception from this call leaves `bad_exception_edge` with `m` held
  m.unlock();
}

void bad_break_out_of_loop(int n) {
  for (int i = 0; i < n; ++i) {
    m.lock();
    // CHECK: :[[@LINE-1]]:7: warning: `m` is locked here{{.*}} [snag-lock-not-released]
    if (items[i] < 0)
      break;
    items[i] = 0;
    m.unlock();
  }
}

void bad_unlock_in_one_branch(int v) {
  sm.lock_shared();
  // CHECK: :[[@LINE-1]]:6: warning: `sm` is locked here{{.*}} [snag-lock-not-released]
  if (v)
    sm.unlock_shared();
}

void bad_pthread_early_return(pthread_mutex_t *pm, int v) {
  pthread_mutex_lock(pm);
  // CHECK: :[[@LINE-1]]:3: warning: `pm` is locked here{{.*}} [snag-lock-not-released]
  if (v)
    return;
  pthread_mutex_unlock(pm);
}

void bad_unique_lock_released_on_one_path(int v) {
  std::unique_lock<std::mutex> lk(m);
  lk.release();
  // CHECK: :[[@LINE-1]]:6: warning: `m` {{.*}} [snag-lock-not-released]
  if (v)
    return;
  m.unlock();
}

bool ok_unlock_on_every_path(int v) {
  m.lock();
  if (v < 0) {
    m.unlock();
    return false;
  }
  value = v;
  m.unlock();
  return true;
}

void ok_guard() {
  std::lock_guard<std::mutex> g(m);
  may_throw(1);
}

void ok_unique_lock_early_return(int v) {
  std::unique_lock<std::mutex> lk(m);
  if (v)
    return;
  lk.unlock();
  may_throw(v);
}

void ok_balanced_in_loop(int n) {
  for (int i = 0; i < n; ++i) {
    m.lock();
    items[i] = 0;
    m.unlock();
  }
}

void ok_noexcept_call_between() {
  m.lock();
  never_throws(1);
  m.unlock();
}

void ok_try_lock_fallback() {
  if (!m.try_lock())
    return;
  value = 1;
  m.unlock();
}

void ok_pthread_trylock(pthread_mutex_t *pm) {
  if (pthread_mutex_trylock(pm) != 0)
    return;
  value = 2;
  pthread_mutex_unlock(pm);
}

void ok_adopted_by_guard() {
  m.lock();
  std::lock_guard<std::mutex> g(m, std::adopt_lock);
  may_throw(2);
}

void ok_std_lock_then_adopt(std::mutex &a, std::mutex &b) {
  std::lock(a, b);
  std::lock_guard<std::mutex> ga(a, std::adopt_lock);
  std::lock_guard<std::mutex> gb(b, std::adopt_lock);
  may_throw(3);
}

// Functions meant to return holding the lock: their callers release it.
void lock_queue() { m.lock(); }
void acquire_table() { pthread_mutex_lock(nullptr); }
struct Table {
  std::mutex mu;
  void lock() { mu.lock(); }
  void unlock() { mu.unlock(); }
  void enter() { mu.lock(); }
};

// Never released here at all: the function hands the lock to its caller.
void ok_hands_lock_to_caller(int v) {
  m.lock();
  value = v;
}

std::mutex *ok_guard_gives_up_ownership() {
  std::unique_lock<std::mutex> lk(m);
  return lk.release();
}

void ok_recursive_balanced(int v) {
  rm.lock();
  rm.lock();
  rm.unlock();
  rm.unlock();
}

void ok_try_catch_releases() {
  m.lock();
  try {
    may_throw(4);
  } catch (...) {
    m.unlock();
    throw;
  }
  m.unlock();
}
