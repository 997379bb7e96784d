// main takes a then b during start-up, before any thread exists; the worker
// takes b then a. The start-up order can never overlap the worker: silent.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex a, b;

void ok_worker() {
  std::lock_guard<std::mutex> y(b);
  std::lock_guard<std::mutex> x(a);
}

int main() {
  {
    std::lock_guard<std::mutex> x(a);
    std::lock_guard<std::mutex> y(b);
  }
  std::thread t(ok_worker);
  t.join();
  // Teardown after the last join is single-threaded too.
  {
    std::lock_guard<std::mutex> x(a);
    std::lock_guard<std::mutex> y(b);
  }
  std::puts("done");
}
// CHECK: done
