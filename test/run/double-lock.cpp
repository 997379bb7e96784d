// size() locks the mutex its caller already holds: the thread waits for
// itself. snag reports it before it blocks and ends the process.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <mutex>
#include <thread>
#include <vector>

std::mutex m;
std::vector<int> items;

size_t size() {
  std::lock_guard<std::mutex> g(m);
  // CHECK: double-lock.cpp:[[@LINE-1]]:{{[0-9]+}}: warning: thread T1 locks `m`, which it already holds{{.*}} [snag-double-lock]
  return items.size();
}

void bad_push_if_small(int v) {
  std::lock_guard<std::mutex> g(m);
  if (size() < 10)
    items.push_back(v);
}

int main() {
  std::thread t(bad_push_if_small, 1);
  t.join();
}
// CHECK: snag ended process
