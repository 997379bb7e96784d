// RUN: not %snag check --no-cache --format text %s -- 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include <mutex>
#include <thread>

std::mutex left, right;
std::mutex gate;
int shared;

void one() {
  std::lock_guard<std::mutex> a(left);
  std::lock_guard<std::mutex> b(right);
  // CHECK: :[[@LINE-1]]:31: warning: `left` and `right` are taken in opposite orders{{.*}} [snag-lock-order-inversion]
  shared++;
}

void two() {
  std::unique_lock<std::mutex> a(right);
  std::unique_lock<std::mutex> b(left);
  shared--;
}

void ok_both_at_once() {
  std::scoped_lock both(right, left);
  shared = 0;
}

void ok_std_lock() {
  std::unique_lock<std::mutex> a(right, std::defer_lock);
  std::unique_lock<std::mutex> b(left, std::defer_lock);
  std::lock(a, b);
  shared = 1;
}

int main() {
  std::thread t1(one), t2(two), t3(ok_both_at_once), t4(ok_std_lock);
  t1.join();
  t2.join();
  t3.join();
  t4.join();
}
