// std::scoped_lock takes both locks with try-and-back-off, whatever order
// they are named in: a try-lock never waits, so it adds no order.
// RUN: %clangxx -std=c++17 -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex a, b;

int main() {
  for (int i = 0; i < 100; ++i) {
    std::thread t1([] { std::scoped_lock l(a, b); });
    std::thread t2([] { std::scoped_lock l(b, a); });
    t1.join();
    t2.join();
  }
  std::puts("done");
}
// CHECK: done
