// A lock taken again in a callee defined in another TU: the callers in
// Inputs/across-tus-two.cpp hold the lock when they call these functions.
// (ok_other_queue there is a lock-order-inversion, not a double-lock: only
// double-lock findings are checked here.)
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../cli/Inputs/make-db.py %t/compile_commands.json %s -I%S/../Inputs
// RUN: %python %S/../../cli/Inputs/make-db.py %t/compile_commands.json %S/Inputs/across-tus-two.cpp -I%S/../Inputs
// RUN: not %snag check --no-cache -p %t --format text %s %S/Inputs/across-tus-two.cpp 2>&1 | FileCheck %s --implicit-check-not="[snag-double-lock]"
#include "mock-sync.h"

std::mutex stats_lock;
std::recursive_mutex rec_lock;
std::shared_mutex table_lock;
std::mutex other_lock;
int hits;

void bump_stats() {
  std::lock_guard<std::mutex> g(stats_lock);
  // CHECK: :[[@LINE-1]]:31: warning: `stats_lock` is taken again by the thread that already holds it (`bad_report_holding_stats` holds `stats_lock` when it calls `bump_stats`): a non-recursive mutex waits for itself for ever [snag-double-lock]
  // CHECK: across-tus-two.cpp:{{[0-9]+}}:31: note: `stats_lock` was taken here
  // CHECK: across-tus-two.cpp:{{[0-9]+}}:3: note: `bad_report_holding_stats` calls `bump_stats` here while holding `stats_lock`
  hits++;
}

void bump_other() {
  std::lock_guard<std::mutex> g(other_lock);
  hits++;
}

void bump_recursive() {
  std::lock_guard<std::recursive_mutex> g(rec_lock);
  hits++;
}

int read_table() {
  std::shared_lock<std::shared_mutex> g(table_lock);
  return hits;
}

struct Queue {
  std::mutex m_;
  int n_ = 0;
  int size();
  void push(int v);
};

int Queue::size() {
  std::lock_guard<std::mutex> g(m_);
  // CHECK: :[[@LINE-1]]:31: warning: `m_` is taken again by the thread that already holds it (`push` holds `m_` when it calls `size`){{.*}} [snag-double-lock]
  // CHECK: across-tus-two.cpp:{{[0-9]+}}:31: note: `m_` was taken here
  // CHECK: across-tus-two.cpp:{{[0-9]+}}:7: note: `push` calls `size` here while holding `m_`
  return n_;
}
