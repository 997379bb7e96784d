// atomicity-violation: a read and a dependent write in two critical sections.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-atomicity-violation]" \
// RUN:       --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-race.h"

std::mutex m;
int balance = 100;

void withdraw(int amount) {
  int seen;
  {
    std::lock_guard<std::mutex> g(m);
    seen = balance;
    // CHECK: :[[@LINE-1]]:12: warning: `balance` is read under `m` here and written back from that value in a later critical section{{.*}}[snag-atomicity-violation]
  }
  if (seen >= amount) {
    std::lock_guard<std::mutex> g(m);
    balance = seen - amount;
    // CHECK: :[[@LINE-1]]:5: note: written back here, after `m` was released and taken again
  }
}
void bad_two_withdrawals() {
  std::thread a(withdraw, 80), b(withdraw, 80);
  a.join();
  b.join();
}

int stock = 10;
void restock_by_hand() {
  m.lock();
  int level = stock;
  // CHECK: :[[@LINE-1]]:15: warning: `stock` is read under `m` here{{.*}}[snag-atomicity-violation]
  m.unlock();
  m.lock();
  stock = level + 5;
  m.unlock();
}
void bad_manual_lock_taken_twice() {
  std::thread a(restock_by_hand), b(restock_by_hand);
  a.join();
  b.join();
}

int good_balance = 100;
void withdraw_in_one_section(int amount) {
  std::lock_guard<std::mutex> g(m);
  int seen = good_balance;
  if (seen >= amount)
    good_balance = seen - amount;
}
void ok_one_critical_section() {
  std::thread a(withdraw_in_one_section, 80), b(withdraw_in_one_section, 80);
  a.join();
  b.join();
}

int generation;
void reset_generation() {
  int seen;
  {
    std::lock_guard<std::mutex> g(m);
    seen = generation;
  }
  (void)seen;
  std::lock_guard<std::mutex> g(m);
  generation = 0;
}
void ok_write_does_not_depend_on_the_read() {
  std::thread a(reset_generation), b(reset_generation);
  a.join();
  b.join();
}

int lonely = 5;
void split_but_alone() {
  int seen;
  {
    std::lock_guard<std::mutex> g(m);
    seen = lonely;
  }
  std::lock_guard<std::mutex> g(m);
  lonely = seen + 1;
}
void ok_only_one_thread_runs_it() {
  std::thread a(split_but_alone);
  a.join();
}

std::atomic<int> atomic_count;
void split_atomic() {
  int seen;
  {
    std::lock_guard<std::mutex> g(m);
    seen = atomic_count;
  }
  std::lock_guard<std::mutex> g(m);
  atomic_count.store(seen + 1);
}
void ok_atomic_location() {
  std::thread a(split_atomic), b(split_atomic);
  a.join();
  b.join();
}

int local_flow;
void read_then_write_other() {
  int seen;
  int other = 0;
  {
    std::lock_guard<std::mutex> g(m);
    seen = local_flow;
  }
  {
    std::lock_guard<std::mutex> g(m);
    other = seen + 1;
  }
  (void)other;
}
void ok_written_value_goes_elsewhere() {
  std::thread a(read_then_write_other), b(read_then_write_other);
  a.join();
  b.join();
}
