// REQUIRES: runtime
// ThreadSanitizer reports a lock-order cycle here, but a gate lock guards
// both orders, so no thread can deadlock: snag run reports nothing, and the
// program's status is its own.
// RUN: %clangxx -fsanitize=thread -g -O1 %s -o %t
// RUN: %exitcode %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex gate, a, b;

void ok_ab() {
  std::lock_guard<std::mutex> g(gate);
  std::lock_guard<std::mutex> x(a);
  std::lock_guard<std::mutex> y(b);
}

void ok_ba() {
  std::lock_guard<std::mutex> g(gate);
  std::lock_guard<std::mutex> x(b);
  std::lock_guard<std::mutex> y(a);
}

int main() {
  std::thread t1(ok_ab), t2(ok_ba);
  t1.join();
  t2.join();
  std::puts("gate done");
  // CHECK: gate done
  // CHECK: exit 0
}
