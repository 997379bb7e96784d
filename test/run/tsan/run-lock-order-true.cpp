// REQUIRES: runtime
// A true cycle, seen by the shim and by ThreadSanitizer: reported once.
// RUN: %clangxx -fsanitize=thread -g -O1 %s -o %t
// RUN: %exitcode %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>
#include <thread>

std::mutex a, b;

void bad_ab() {
  std::lock_guard<std::mutex> x(a);
  std::lock_guard<std::mutex> y(b);
}

void bad_ba() {
  std::lock_guard<std::mutex> x(b);
  std::lock_guard<std::mutex> y(a);
  // CHECK: :[[@LINE-1]]:{{[0-9]+}}: warning: {{.*}} [snag-lock-order-inversion]
}

int main() {
  std::thread t1(bad_ab);
  t1.join();
  std::thread t2(bad_ba);
  t2.join();
  // CHECK: exit 66
}
