// unprotected-shared-state on classes that the program's own threads run:
// the threads decide, and a race is reported once, in their terms.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-race.h"

class Stats {
public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    sum_ += v;
  }
  int sum() const { return sum_; }

private:
  mutable std::mutex mu_;
  int sum_ = 0;
};

// Read only after the threads that write it are joined: no race, though
// the getter takes no lock.
Stats joined_stats;
void add_one() { joined_stats.add(1); }
int ok_read_after_join() {
  std::thread a(add_one), b(add_one);
  a.join();
  b.join();
  return joined_stats.sum();
}

class Gauge {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    level_ = v;
  }
  int level() const { return level_; }
  // CHECK: :[[@LINE-1]]:30: warning: `level_` is read here with no lock, but elsewhere under `mu_`{{.*}}[snag-unprotected-shared-state]
  // CHECK-NOT: locks for its callers

private:
  mutable std::mutex mu_;
  int level_ = 0;
};

// Read while a thread writes: one finding, from the threads.
Gauge gauge;
void set_gauge() { gauge.set(3); }
int bad_read_while_running() {
  std::thread t(set_gauge);
  int l = gauge.level();
  t.join();
  return l;
}

int main() {
  ok_read_after_join();
  return bad_read_while_running();
}
