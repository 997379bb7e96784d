// 100,000 distinct mutexes, each nested under one outer lock in a worker:
// 100,000 edges, no cycle. Then one real inversion among them is found.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

std::mutex outer;

int main() {
  std::vector<std::mutex> locks(100000);
  std::thread t([&] {
    for (auto &m : locks) {
      std::lock_guard<std::mutex> o(outer);
      std::lock_guard<std::mutex> g(m);
    }
  });
  t.join();
  std::thread u([&] {
    std::lock_guard<std::mutex> g(locks[77777]);
    std::lock_guard<std::mutex> o(outer);
  });
  u.join();
  std::puts("done");
}
// CHECK: done
// CHECK: warning: locks taken in a cycle of orders:{{.*}}[snag-lock-order-inversion]
