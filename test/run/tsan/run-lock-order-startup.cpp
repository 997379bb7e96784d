// REQUIRES: runtime
// One order is taken while main still runs alone (start-up), the other in a
// worker: ThreadSanitizer reports a cycle, but the first edge can never run
// at the same time as the second. snag run reports nothing.
// RUN: %clangxx -fsanitize=thread -g -O1 %s -o %t
// RUN: %exitcode %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex a, b;

int main() {
  {
    std::lock_guard<std::mutex> x(a);
    std::lock_guard<std::mutex> y(b);
  }
  std::thread t([] {
    std::lock_guard<std::mutex> x(b);
    std::lock_guard<std::mutex> y(a);
  });
  t.join();
  std::puts("startup done");
  // CHECK: startup done
  // CHECK: exit 0
}
