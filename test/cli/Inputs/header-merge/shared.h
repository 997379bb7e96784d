// Inline functions that every TU of header-merge.test defines: the link
// step reads one copy of each. CHECK lines for its own locations.
#pragma once
#include "mock-sync.h"

extern int hits;
extern std::mutex hits_lock, first, second;

inline void count_hit() {
  // CHECK-DAG: main.cpp:14:29: note: a thread running `b_worker` is started here
  // CHECK-DAG: shared.h:[[@LINE+1]]:3: warning: `hits` is written here with no lock, but elsewhere under `hits_lock`
  hits++;
}

inline void count_hit_locked() {
  std::lock_guard<std::mutex> g(hits_lock);
  // CHECK-DAG: shared.h:[[@LINE+1]]:3: note: written under `hits_lock`
  hits++;
}

// Lock functions main.cpp defines: the TUs that call them are analysed
// again with them known, and the copy kept is the one that knows them.
void stats_lock();
void stats_unlock();

inline void count_hit_wrapped() {
  stats_lock();
  // CHECK-DAG: shared.h:[[@LINE+1]]:3: note: written under `hits_lock` at shared.h:[[@LINE+1]]
  hits++;
  stats_unlock();
}

inline void take_in_order() {
  // CHECK-DAG: shared.h:[[@LINE+1]]:31: note: `take_in_order` holds `first` here
  std::lock_guard<std::mutex> a(first);
  // CHECK-DAG: shared.h:[[@LINE+1]]:31: warning: `first` and `second` are taken in opposite orders: `take_in_order` takes `second` while holding `first`, and `b_worker` takes `first` while holding `second`
  std::lock_guard<std::mutex> b(second);
}
