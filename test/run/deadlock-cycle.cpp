// Two threads each hold one lock and wait for the other's: a certain hang.
// snag reports it with every thread's stack and ends the process.
// RUN: %clangxx -std=c++20 -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t > %t.out 2>&1
// RUN: FileCheck %s --implicit-check-not="[snag-" < %t.out
#include <barrier>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex left, right;
std::barrier meet(2);

void bad_one() {
  std::lock_guard<std::mutex> a(left);
  meet.arrive_and_wait();
  std::lock_guard<std::mutex> b(right);
}

void bad_two() {
  std::lock_guard<std::mutex> a(right);
  meet.arrive_and_wait();
  std::lock_guard<std::mutex> b(left);
}

int main() {
  std::puts("start");
  std::fflush(stdout);
  std::thread t1(bad_one), t2(bad_two);
  t1.join();
  t2.join();
  std::puts("never printed");
}
// CHECK: start
// CHECK-NOT: never printed
// CHECK: warning: deadlock: thread T{{[0-9]}} waits for `{{left|right}}` held by thread T{{[0-9]}}, thread T{{[0-9]}} waits for `{{left|right}}` held by thread T{{[0-9]}}; none of them can go on [snag-deadlock]
// CHECK-DAG: waits for `left` held by thread T{{[0-9]}}, holding `right`
// CHECK-DAG: waits for `right` held by thread T{{[0-9]}}, holding `left`
// CHECK-DAG: T0 waits to join thread T1
// CHECK: snag ended process {{[0-9]+}} ({{.*}}) after reporting a deadlock
