// One worker takes both orders; no other thread takes either. A thread
// cannot wait for itself across two orders: silent.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex a, b;

void ok_both_orders() {
  {
    std::lock_guard<std::mutex> x(a);
    std::lock_guard<std::mutex> y(b);
  }
  {
    std::lock_guard<std::mutex> y(b);
    std::lock_guard<std::mutex> x(a);
  }
}

int main() {
  std::thread t(ok_both_orders);
  t.join();
  std::puts("done");
}
// CHECK: done
