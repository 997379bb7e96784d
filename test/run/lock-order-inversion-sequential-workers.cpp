// Two workers take two locks in opposite orders, one after the other: this
// run cannot hang, but another run can overlap them. Reported.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex first_lock, second_lock;

void bad_forward() {
  std::lock_guard<std::mutex> a(first_lock);
  std::lock_guard<std::mutex> b(second_lock); // [[@LINE]]
}

void bad_backward() {
  std::lock_guard<std::mutex> b(second_lock);
  std::lock_guard<std::mutex> a(first_lock);
}

int main() {
  std::thread t1(bad_forward);
  t1.join();
  std::thread t2(bad_backward);
  t2.join();
  std::puts("done");
}
// CHECK: done
// CHECK: warning: locks taken in a cycle of orders:{{.*}}[snag-lock-order-inversion]
// CHECK-DAG: takes `second_lock` while holding `first_lock`
// CHECK-DAG: takes `first_lock` while holding `second_lock`
