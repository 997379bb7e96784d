// The worker waits for a notification nobody sends, and main joins it:
// every thread is blocked for good. The watchdog reports it.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: not %snag run --option watchdog_ms=300 -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex m;
std::condition_variable cv;
bool ready = false;

void bad_waiter() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return ready; });
}

int main() {
  std::thread t(bad_waiter);
  t.join();
}
// CHECK: warning: the run is stuck: every thread has been blocked for 300 ms {{.*}} [snag-deadlock]
// CHECK-DAG: T1 waits on a condition variable
// CHECK-DAG: T0 waits to join thread T1
