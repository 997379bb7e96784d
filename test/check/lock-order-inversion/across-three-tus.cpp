// Lock orders whose edges live in three TUs: a cycle of three locks, a
// gate lock held by callers in another TU, and a consistent order.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../cli/Inputs/make-db.py %t/compile_commands.json %s -I%S/../Inputs
// RUN: %python %S/../../cli/Inputs/make-db.py %t/compile_commands.json %S/Inputs/across-three-tus-b.cpp -I%S/../Inputs
// RUN: %python %S/../../cli/Inputs/make-db.py %t/compile_commands.json %S/Inputs/across-three-tus-c.cpp -I%S/../Inputs
// RUN: not %snag check --no-cache -p %t --format text %s %S/Inputs/across-three-tus-b.cpp %S/Inputs/across-three-tus-c.cpp 2>&1 | FileCheck %s --implicit-check-not="warning:"
// RUN: not %snag check --no-cache -p %t --format text %S/Inputs/across-three-tus-c.cpp %s %S/Inputs/across-three-tus-b.cpp 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

std::mutex x;
extern std::mutex y, z;
std::mutex p, q, p2, q2, r, s;

void take_y();
void take_x() { std::lock_guard<std::mutex> g(x); }
void take_s() { std::lock_guard<std::mutex> g(s); }

// x -> y here, y -> z in across-three-tus-b.cpp, z -> x in -c.cpp.
void bad_x_then_y() {
  std::lock_guard<std::mutex> g(x);
  take_y();
  // The units are read in path order, so the cycle is reported from the
  // first of them in path order: Inputs/ sorts before this file.
  // CHECK: across-three-tus-b.cpp:18:3: warning: locks are taken in orders that form a cycle: `y_then_z` takes `z` while holding `y`, and `z_then_x` takes `x` while holding `z`, and `bad_x_then_y` takes `y` while holding `x`; threads running these at once can deadlock [snag-lock-order-inversion]
  // CHECK: across-three-tus-b.cpp:18:3: note: `y_then_z` calls `take_z` here while holding `y`
  // CHECK: across-three-tus-c.cpp:{{[0-9]+}}:{{[0-9]+}}: note: `take_z` takes `z` here
  // CHECK: across-three-tus-c.cpp:{{[0-9]+}}:{{[0-9]+}}: note: `z_then_x` calls `take_x` here while holding `z`
  // CHECK: across-three-tus.cpp:[[@LINE-13]]:45: note: `take_x` takes `x` here
  // CHECK: across-three-tus.cpp:[[@LINE-8]]:3: note: `bad_x_then_y` calls `take_y` here while holding `x`
}

// p and q both ways, but every caller (all in across-three-tus-b.cpp)
// holds `gate` around them.
void ok_p_then_q() {
  std::lock_guard<std::mutex> g1(p);
  std::lock_guard<std::mutex> g2(q);
}
void ok_q_then_p() {
  std::lock_guard<std::mutex> g1(q);
  std::lock_guard<std::mutex> g2(p);
}

// The same with p2 and q2, but across-three-tus-c.cpp also calls
// bad_q2_then_p2 without the gate.
void bad_p2_then_q2() {
  std::lock_guard<std::mutex> g1(p2);
  std::lock_guard<std::mutex> g2(q2);
  // CHECK: :[[@LINE-1]]:31: warning: `p2` and `q2` are taken in opposite orders: `bad_p2_then_q2` takes `q2` while holding `p2`, and `bad_q2_then_p2` takes `p2` while holding `q2`{{.*}} [snag-lock-order-inversion]
}
void bad_q2_then_p2() {
  std::lock_guard<std::mutex> g1(q2);
  std::lock_guard<std::mutex> g2(p2);
}

// r before s everywhere: here, through a call in -b.cpp, directly in -c.cpp.
void ok_r_then_s() {
  std::lock_guard<std::mutex> g1(r);
  std::lock_guard<std::mutex> g2(s);
}
