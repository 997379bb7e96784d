// Opposite orders, but always under one gate lock: they cannot interleave.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex gate, a, b;

void ok_forward() {
  std::lock_guard<std::mutex> g(gate);
  std::lock_guard<std::mutex> x(a);
  std::lock_guard<std::mutex> y(b);
}

void ok_backward() {
  std::lock_guard<std::mutex> g(gate);
  std::lock_guard<std::mutex> y(b);
  std::lock_guard<std::mutex> x(a);
}

int main() {
  std::thread t1(ok_forward), t2(ok_backward);
  t1.join();
  t2.join();
  std::puts("done");
}
// CHECK: done
