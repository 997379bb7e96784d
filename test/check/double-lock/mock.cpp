// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

std::mutex m;
std::mutex other;
std::recursive_mutex rm;
std::shared_mutex sm;
int value;

void bad_twice_by_hand() {
  m.lock();
  m.lock();
  // CHECK: :[[@LINE-1]]:5: warning: `m` is taken again by the thread that already holds it{{.*}} [snag-double-lock]
  // CHECK: :[[@LINE-3]]:5: note: `m` was taken here
  m.unlock();
  m.unlock();
}

void bad_guard_then_lock() {
  std::lock_guard<std::mutex> g(m);
  m.lock();
  // CHECK: :[[@LINE-1]]:5: warning: `m` is taken again{{.*}} [snag-double-lock]
  // CHECK: :[[@LINE-3]]:31: note: `m` was taken here
}

class Inbox {
public:
  int size() {
    std::lock_guard<std::mutex> g(m_);
    // CHECK: :[[@LINE-1]]:33: warning: `m_` is taken again by the thread that already holds it{{.*}} [snag-double-lock]
    // CHECK: :[[@LINE+5]]:33: note: `m_` was taken here
    // CHECK: :[[@LINE+5]]:9: note: {{.*}}`size`{{.*}}
    return count_;
  }
  void bad_push_if_small(int v) {
    std::lock_guard<std::mutex> g(m_);
    if (size() < 10)
      count_ += v;
  }
  void ok_push_unlocked_first(int v) {
    std::unique_lock<std::mutex> lk(m_);
    lk.unlock();
    if (size() < 10)
      count_ += v;
    // No double lock, but a race: Inbox guards count_ with m_ elsewhere.
    // CHECK: :[[@LINE-2]]:7: warning: `count_` is written here without a lock{{.*}}[snag-unprotected-shared-state]
  }

private:
  std::mutex m_;
  int count_ = 0;
};

// Two levels of callees.
void takes_other() {
  std::lock_guard<std::mutex> g(other);
  // CHECK: :[[@LINE-1]]:31: warning: `other` is taken again{{.*}} [snag-double-lock]
  // CHECK: :[[@LINE+7]]:31: note: `other` was taken here
  // CHECK: :[[@LINE+7]]:3: note: {{.*}}`middle`{{.*}}
  // CHECK: :[[@LINE+3]]:17: note: {{.*}}`takes_other`{{.*}}
  value++;
}
void middle() { takes_other(); }
void bad_through_two_calls() {
  std::lock_guard<std::mutex> g(other);
  middle();
}

void bad_shared_then_exclusive() {
  sm.lock_shared();
  sm.lock();
  // CHECK: :[[@LINE-1]]:6: warning: `sm` is taken again{{.*}} [snag-double-lock]
  // CHECK: :[[@LINE-3]]:6: note: `sm` was taken here
  sm.unlock();
  sm.unlock_shared();
}

void bad_on_one_path(int v) {
  if (v)
    m.lock();
  m.lock();
  // CHECK: :[[@LINE-1]]:5: warning: `m` is taken again{{.*}} [snag-double-lock]
  // CHECK: :[[@LINE-3]]:7: note: `m` was taken here
  m.unlock();
}

void ok_recursive_mutex() {
  std::lock_guard<std::recursive_mutex> g(rm);
  rm.lock();
  rm.unlock();
}

void ok_try_lock_when_held() {
  std::lock_guard<std::mutex> g(m);
  if (other.try_lock())
    other.unlock();
}

void ok_try_lock_fallback() {
  if (!m.try_lock()) {
    m.lock();
  }
  m.unlock();
}

void ok_lock_unlock_lock() {
  m.lock();
  m.unlock();
  m.lock();
  m.unlock();
}

void ok_loop_balanced(int n) {
  for (int i = 0; i < n; ++i) {
    std::lock_guard<std::mutex> g(m);
    value += i;
  }
}

void ok_two_guards_in_sequence() {
  {
    std::lock_guard<std::mutex> g(m);
    value++;
  }
  std::lock_guard<std::mutex> g2(m);
  value++;
}

void ok_different_objects(std::mutex &a, std::mutex &b) {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);
}

struct Node {
  std::mutex mu;
  Node *next;
};

void ok_hand_over_hand(Node *n) {
  std::unique_lock<std::mutex> cur(n->mu);
  while (n->next) {
    std::unique_lock<std::mutex> nxt(n->next->mu);
    cur.unlock();
    n = n->next;
    cur = static_cast<std::unique_lock<std::mutex> &&>(nxt);
  }
}

void callee_unlocked() { value++; }
void ok_callee_takes_nothing() {
  std::lock_guard<std::mutex> g(m);
  callee_unlocked();
}

void locker() { std::lock_guard<std::mutex> g(m); }
void ok_callee_after_release() {
  m.lock();
  value++;
  m.unlock();
  locker();
}
