// unprotected-shared-state: threads that start threads.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-race.h"

int inner_total;
std::mutex lk;
void inner() {
  std::lock_guard<std::mutex> g(lk);
  inner_total++;
}
void outer() {
  std::thread a(inner), b(inner);
  a.join();
  b.join();
}

int unlocked_nested;
void inner_unlocked() { unlocked_nested++; }
// CHECK: :[[@LINE-1]]:25: warning: `unlocked_nested` is written by threads that may run at once, with no lock: two threads can write `unlocked_nested` at once; one update is lost [snag-unprotected-shared-state]
void outer_once() {
  std::thread a(inner_unlocked);
  a.join();
}

int main() {
  // ok: the grandchildren are joined before their parents, the parents
  // before main reads.
  std::thread t(outer);
  // bad: two threads each start one writer, so two writers overlap.
  std::thread u(outer_once), v(outer_once);
  t.join();
  u.join();
  v.join();
  return inner_total + unlocked_nested;
}
