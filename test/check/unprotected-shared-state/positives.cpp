// unprotected-shared-state: accesses two threads make at once, no lock shared.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-race.h"

int counter;
void bump_counter() {
  counter++;
  // CHECK: :[[@LINE-1]]:3: warning: `counter` is written by threads that may run at once, with no lock: two threads can write `counter` at once; one update is lost [snag-unprotected-shared-state]
  // CHECK: note: a thread running `bump_counter` is started here
}
void bad_counter_twice() {
  std::thread a(bump_counter), b(bump_counter);
  a.join();
  b.join();
}

std::mutex careful_lock;
long total;
void add_carefully() {
  std::lock_guard<std::mutex> g(careful_lock);
  total += 2;
}
void add_carelessly() {
  total += 1;
  // CHECK: :[[@LINE-1]]:3: warning: `total` is written here with no lock, but elsewhere under `careful_lock`: two threads can write `total` at once; one update is lost{{.*}}[snag-unprotected-shared-state]
  // CHECK: note: written under `careful_lock` at positives.cpp:[[@LINE-5]]
}
void bad_inconsistent_locking() {
  std::thread a(add_carefully), b(add_carelessly);
  a.join();
  b.join();
}

void fill(std::map<int, int> &m, int k) { m[k] = k; }
// CHECK: :[[@LINE-1]]:43: warning: `m` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
void bad_map_insert_distinct_keys() {
  std::map<int, int> results;
  std::thread a(fill, std::ref(results), 1);
  std::thread b(fill, std::ref(results), 2);
  a.join();
  b.join();
}

void bad_lambda_captures_local_by_reference() {
  int hits = 0;
  std::thread a([&hits] { hits++; });
  // CHECK: :[[@LINE-1]]:27: warning: `hits` is written{{.*}}[snag-unprotected-shared-state]
  hits++;
  // CHECK: note: conflicting write of `hits` in `bad_lambda_captures_local_by_reference`
  a.join();
}

int progress;
void report_progress() { progress = 1; }
void bad_main_writes_while_thread_runs() {
  std::thread a(report_progress);
  // CHECK: :[[@LINE-3]]:26: warning: `progress` is written{{.*}}[snag-unprotected-shared-state]
  progress = 2;
  a.join();
}

int deep_value;
void write_deep() { deep_value = 7; }
// CHECK: :[[@LINE-1]]:21: warning: `deep_value` is written{{.*}}[snag-unprotected-shared-state]
void call_write_deep() { write_deep(); }
void bad_write_in_a_callee() {
  std::thread a(call_write_deep), b(call_write_deep);
  a.join();
  b.join();
}

std::mutex slow_lock;
int slow_state;
void slow_update() {
  std::unique_lock<std::mutex> lk(slow_lock);
  lk.unlock();
  slow_state = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `slow_state` is written here with no lock, but elsewhere under `slow_lock`{{.*}}[snag-unprotected-shared-state]
  lk.lock();
  slow_state = 2;
}
void bad_write_after_unique_lock_unlocked() {
  std::thread a(slow_update), b(slow_update);
  a.join();
  b.join();
}

std::mutex left_lock, right_lock;
int split_brain;
void under_left() {
  std::lock_guard<std::mutex> g(left_lock);
  split_brain = 1;
  // CHECK: :[[@LINE-1]]:3: warning: `split_brain` is written here under `left_lock` and elsewhere under `right_lock`, with no lock in common{{.*}}[snag-unprotected-shared-state]
}
void under_right() {
  std::lock_guard<std::mutex> g(right_lock);
  split_brain = 2;
  // CHECK: :[[@LINE-1]]:3: note: conflicting write of `split_brain` in `under_right`
}
void bad_different_locks() {
  std::thread a(under_left), b(under_right);
  a.join();
  b.join();
}

std::shared_mutex table_lock;
int table_size;
void write_under_reader_lock() {
  std::shared_lock<std::shared_mutex> r(table_lock);
  table_size++;
  // CHECK: :[[@LINE-1]]:3: warning: `table_size` is written here under a reader lock on `table_lock`{{.*}}[snag-unprotected-shared-state]
}
void bad_write_under_shared_lock() {
  std::thread a(write_under_reader_lock), b(write_under_reader_lock);
  a.join();
  b.join();
}

std::vector<int> log_lines;
void append_line() { log_lines.push_back(1); }
// CHECK: :[[@LINE-1]]:32: warning: `log_lines` is written{{.*}}[snag-unprotected-shared-state]
void bad_vector_push_back() {
  std::thread a(append_line), b(append_line);
  a.join();
  b.join();
}

std::mutex maybe_lock;
int sometimes_locked;
void lock_on_one_path(bool c) {
  if (c)
    maybe_lock.lock();
  sometimes_locked++;
  // CHECK: :[[@LINE-1]]:3: warning: `sometimes_locked` is written{{.*}}[snag-unprotected-shared-state]
  if (c)
    maybe_lock.unlock();
}
void bad_lock_held_on_one_path_only() {
  std::thread a(lock_on_one_path, true), b(lock_on_one_path, false);
  a.join();
  b.join();
}

struct Stats {
  long hits;
};
void count_hit(Stats *s) { s->hits++; }
// CHECK: :[[@LINE-1]]:31: warning: `s->hits` is written{{.*}}[snag-unprotected-shared-state]
void bad_field_through_pointer_argument() {
  Stats stats{};
  std::thread a(count_hit, &stats), b(count_hit, &stats);
  a.join();
  b.join();
}

int reader_sees;
void read_reader_sees() { int v = reader_sees; (void)v; }
void bad_read_while_main_writes() {
  std::thread a(read_reader_sees);
  reader_sees = 3;
  // CHECK: :[[@LINE-1]]:3: warning: `reader_sees` is written{{.*}}[snag-unprotected-shared-state]
  a.join();
}

int pool_jobs;
void take_job() { pool_jobs--; }
// CHECK: :[[@LINE-1]]:19: warning: `pool_jobs` is written{{.*}}[snag-unprotected-shared-state]
void bad_started_in_a_loop() {
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.push_back(std::thread(take_job));
  for (auto &t : pool)
    t.join();
}
