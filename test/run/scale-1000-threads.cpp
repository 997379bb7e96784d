// 1,000 threads that each take two locks in one order: nothing to report,
// and nothing lost along the way.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

std::mutex a, b;
long counter;

int main() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 1000; ++i)
    threads.emplace_back([] {
      std::lock_guard<std::mutex> x(a);
      std::lock_guard<std::mutex> y(b);
      ++counter;
    });
  for (auto &t : threads)
    t.join();
  std::printf("counter %ld\n", counter);
}
// CHECK: counter 1000
