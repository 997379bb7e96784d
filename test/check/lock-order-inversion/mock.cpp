// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

std::mutex a, b, c, gate;
std::mutex x, y;
std::mutex p, q;
int value;

// a -> b here, b -> a in the next: an inversion between two threads.
void bad_ab() {
  std::lock_guard<std::mutex> first(a);
  std::lock_guard<std::mutex> second(b);
  // CHECK: :[[@LINE-1]]:31: warning: `a` and `b` are taken in opposite orders{{.*}} [snag-lock-order-inversion]
  // CHECK: :[[@LINE-3]]:31: note: `bad_ab` holds `a` here
  // CHECK: :[[@LINE+5]]:31: note: `bad_ba` holds `b` here
  // CHECK: :[[@LINE+5]]:31: note: `bad_ba` takes `a` here
  value++;
}
void bad_ba() {
  std::lock_guard<std::mutex> first(b);
  std::lock_guard<std::mutex> second(a);
  value--;
}

// A three-lock cycle through a callee: x -> y, y -> (callee) p, p -> x.
void takes_p() { std::lock_guard<std::mutex> g(p); }
void bad_xy() {
  std::lock_guard<std::mutex> g1(x);
  std::lock_guard<std::mutex> g2(y);
  // CHECK: :[[@LINE-1]]:31: warning: {{.*}}cycle{{.*}} [snag-lock-order-inversion]
}
void bad_y_then_p() {
  std::lock_guard<std::mutex> g(y);
  takes_p();
}
void bad_px() {
  std::lock_guard<std::mutex> g1(p);
  std::lock_guard<std::mutex> g2(x);
}

// Same order everywhere: no cycle.
void ok_consistent_1() {
  std::lock_guard<std::mutex> g1(c);
  std::lock_guard<std::mutex> g2(q);
}
void ok_consistent_2() {
  std::lock_guard<std::mutex> g1(c);
  std::lock_guard<std::mutex> g2(q);
  value++;
}

// Opposite orders, but always under `gate`: only one thread at a time can
// be inside either.
std::mutex g_a, g_b;
void ok_gated_ab() {
  std::lock_guard<std::mutex> outer(gate);
  std::lock_guard<std::mutex> l1(g_a);
  std::lock_guard<std::mutex> l2(g_b);
}
void ok_gated_ba() {
  std::lock_guard<std::mutex> outer(gate);
  std::lock_guard<std::mutex> l1(g_b);
  std::lock_guard<std::mutex> l2(g_a);
}

// Both at once: std::scoped_lock and std::lock avoid the deadlock.
std::mutex s_a, s_b;
void ok_scoped_ab() { std::scoped_lock both(s_a, s_b); }
void ok_scoped_ba() { std::scoped_lock both(s_b, s_a); }
void ok_std_lock_ba() {
  std::lock(s_b, s_a);
  std::lock_guard<std::mutex> l1(s_b, std::adopt_lock);
  std::lock_guard<std::mutex> l2(s_a, std::adopt_lock);
}

// Released before the second is taken: no edge.
std::mutex r_a, r_b;
void ok_sequential_ab() {
  r_a.lock();
  r_a.unlock();
  r_b.lock();
  r_b.unlock();
}
void ok_nested_ba() {
  std::lock_guard<std::mutex> g1(r_b);
  std::lock_guard<std::mutex> g2(r_a);
}

// try_lock cannot block, so it closes no cycle.
std::mutex t_a, t_b;
void ok_try_ab() {
  std::lock_guard<std::mutex> g(t_a);
  if (t_b.try_lock())
    t_b.unlock();
}
void ok_try_ba() {
  std::lock_guard<std::mutex> g1(t_b);
  std::lock_guard<std::mutex> g2(t_a);
}
