// Which threads take each edge matters.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

std::mutex a, b;
std::mutex init_a, init_b;
std::mutex solo_a, solo_b;
int value;

// Two thread bodies run one after the other in main: they still count.
void worker_ab() {
  std::lock_guard<std::mutex> g1(a);
  std::lock_guard<std::mutex> g2(b);
  // CHECK: :[[@LINE-1]]:31: warning: `a` and `b` are taken in opposite orders{{.*}} [snag-lock-order-inversion]
}
void worker_ba() {
  std::lock_guard<std::mutex> g1(b);
  std::lock_guard<std::mutex> g2(a);
}

// init_b -> init_a only in single-threaded start-up, before any thread.
void setup() {
  std::lock_guard<std::mutex> g1(init_b);
  std::lock_guard<std::mutex> g2(init_a);
}
void worker_init() {
  std::lock_guard<std::mutex> g1(init_a);
  std::lock_guard<std::mutex> g2(init_b);
}

// Both orders on one thread only: that thread cannot deadlock with itself.
void solo_ab() {
  std::lock_guard<std::mutex> g1(solo_a);
  std::lock_guard<std::mutex> g2(solo_b);
}
void solo_ba() {
  std::lock_guard<std::mutex> g1(solo_b);
  std::lock_guard<std::mutex> g2(solo_a);
}
void solo_worker() {
  solo_ab();
  solo_ba();
}

int main() {
  setup();
  std::thread t1(worker_ab);
  t1.join();
  std::thread t2(worker_ba);
  t2.join();
  std::thread t3(worker_init);
  std::thread t4(solo_worker);
  t3.join();
  t4.join();
  // After the last join: single-threaded again.
  setup();
}
