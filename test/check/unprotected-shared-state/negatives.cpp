// unprotected-shared-state: code that looks like a race and is not.
// RUN: %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --allow-empty --implicit-check-not="[snag-unprotected-shared-state]"
// CHECK-NOT: warning

#include "mock-race.h"

std::mutex m;

int guarded;
void bump_guarded() {
  std::lock_guard<std::mutex> g(m);
  guarded++;
}
void ok_lock_guard() {
  std::thread a(bump_guarded), b(bump_guarded);
  a.join();
  b.join();
}

int manual;
void bump_manual() {
  m.lock();
  manual++;
  m.unlock();
}
void ok_manual_lock_unlock() {
  std::thread a(bump_manual), b(bump_manual);
  a.join();
  b.join();
}

int helper_state;
void write_helper_state() { helper_state++; }
void guard_in_caller() {
  std::lock_guard<std::mutex> g(m);
  write_helper_state();
}
void ok_guard_held_in_the_caller() {
  std::thread a(guard_in_caller), b(guard_in_caller);
  a.join();
  b.join();
}

int relocked;
void slow_work();
void release_around_slow_work() {
  std::unique_lock<std::mutex> lk(m);
  relocked++;
  lk.unlock();
  slow_work();
  lk.lock();
  relocked--;
}
void ok_unique_lock_released_and_retaken() {
  std::thread a(release_around_slow_work), b(release_around_slow_work);
  a.join();
  b.join();
}

std::shared_mutex rw;
int config_value;
void read_config() {
  std::shared_lock<std::shared_mutex> r(rw);
  int v = config_value;
  (void)v;
}
void write_config() {
  std::unique_lock<std::shared_mutex> w(rw);
  config_value = 3;
}
void ok_shared_mutex_readers_and_writer() {
  std::thread a(read_config), b(read_config), c(write_config);
  a.join();
  b.join();
  c.join();
}

std::atomic<int> hits;
void count_atomically() { hits++; }
void ok_atomic_counter() {
  std::thread a(count_atomically), b(count_atomically);
  a.join();
  b.join();
}

_Atomic int c_hits;
void count_c_atomic() { c_hits++; }
void ok_c11_atomic() {
  std::thread a(count_c_atomic), b(count_c_atomic);
  a.join();
  b.join();
}

thread_local int per_thread;
void bump_per_thread() { per_thread++; }
void ok_thread_local() {
  std::thread a(bump_per_thread), b(bump_per_thread);
  a.join();
  b.join();
}

const int limit = 10;
int read_limit() { return limit; }
void use_limit() { int v = read_limit(); (void)v; }
void ok_const_global() {
  std::thread a(use_limit), b(use_limit);
  a.join();
  b.join();
}

int table[4];
void read_table() { int v = table[1]; (void)v; }
void ok_filled_before_threads_start() {
  table[0] = 1;
  table[1] = 2;
  std::thread a(read_table), b(read_table);
  a.join();
  b.join();
}

int result_after;
void produce_result() { result_after = 42; }
void ok_result_read_after_join() {
  std::thread a(produce_result);
  a.join();
  int v = result_after;
  result_after = 0;
  (void)v;
}

void own_local() {
  int mine = 0;
  mine++;
}
void ok_local_that_never_escapes() {
  std::thread a(own_local), b(own_local);
  a.join();
  b.join();
}

void bump_copy(int v) { v++; }
void ok_argument_copied_into_the_thread() {
  int shared_looking = 1;
  std::thread a(bump_copy, shared_looking), b(bump_copy, shared_looking);
  shared_looking = 2;
  a.join();
  b.join();
}

void put(long *out) { *out = 5; }
void ok_distinct_constant_slots() {
  long slots[2];
  std::thread a(put, &slots[0]), b(put, &slots[1]);
  a.join();
  b.join();
}

void put_array(std::array<long, 2> *unused, long *out) { *out = 1; }
void ok_distinct_std_array_slots() {
  std::array<long, 2> results{};
  std::thread a(put_array, nullptr, &results[0]);
  std::thread b(put_array, nullptr, &results[1]);
  a.join();
  b.join();
}

int phase_value;
void set_phase() { phase_value++; }
void ok_threads_run_one_after_the_other() {
  std::thread a(set_phase);
  a.join();
  std::thread b(set_phase);
  b.join();
}

int only_writer;
void write_only_writer() { only_writer = 1; }
void ok_one_thread_writes_nobody_else_touches() {
  std::thread a(write_only_writer);
  a.join();
}

int read_by_all = 7;
void read_read_by_all() { int v = read_by_all; (void)v; }
void ok_readers_only() {
  std::thread a(read_read_by_all), b(read_read_by_all);
  a.join();
  b.join();
}

struct Widget {
  int size;
  Widget() { size = 0; }
  ~Widget() { size = -1; }
};
void make_widget() { Widget w; (void)w; }
void ok_constructor_and_destructor_of_own_object() {
  std::thread a(make_widget), b(make_widget);
  a.join();
  b.join();
}

int computed();
int cached() {
  static int once = computed();
  return once;
}
void use_cached() { int v = cached(); (void)v; }
void ok_function_static_initialization() {
  std::thread a(use_cached), b(use_cached);
  a.join();
  b.join();
}

int left_only, right_only;
void write_left() { left_only = 1; }
void write_right() { right_only = 1; }
void ok_different_globals() {
  std::thread a(write_left), b(write_right);
  a.join();
  b.join();
}

int through_ref;
void locked_by_param(std::mutex &lock) {
  lock.lock();
  through_ref++;
  lock.unlock();
}
void ok_lock_passed_by_reference() {
  std::mutex lock;
  std::thread a(locked_by_param, std::ref(lock));
  std::thread b(locked_by_param, std::ref(lock));
  a.join();
  b.join();
}

std::map<int, int> lookup;
void find_in_lookup() {
  unsigned long n = lookup.size();
  (void)n;
  (void)lookup.find(1);
}
void ok_container_read_only_after_filling() {
  lookup[1] = 2;
  std::thread a(find_in_lookup), b(find_in_lookup);
  a.join();
  b.join();
}

std::condition_variable cv;
bool ready;
int handed_over;
void consume() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return ready; });
  handed_over--;
}
void ok_condition_variable_handover() {
  std::thread a(consume);
  {
    std::lock_guard<std::mutex> g(m);
    handed_over = 1;
    ready = true;
  }
  cv.notify_one();
  a.join();
}

std::recursive_mutex rm;
int recursive_state;
void recurse(int n) {
  std::lock_guard<std::recursive_mutex> g(rm);
  recursive_state++;
  if (n)
    recurse(n - 1);
}
void ok_recursive_mutex() {
  std::thread a(recurse, 2), b(recurse, 3);
  a.join();
  b.join();
}

std::mutex m1, m2;
int both_locked;
void take_both() {
  std::scoped_lock both(m1, m2);
  both_locked++;
}
void take_both_with_std_lock() {
  std::lock(m2, m1);
  std::lock_guard<std::mutex> a(m1, std::adopt_lock);
  std::lock_guard<std::mutex> b(m2, std::adopt_lock);
  both_locked--;
}
void ok_scoped_lock_and_std_lock() {
  std::thread a(take_both), b(take_both_with_std_lock);
  a.join();
  b.join();
}

int try_state;
void write_if_locked() {
  if (m.try_lock()) {
    try_state++;
    m.unlock();
  }
}
void ok_write_only_when_try_lock_succeeds() {
  std::thread a(write_if_locked), b(write_if_locked);
  a.join();
  b.join();
}

void ok_lambda_captures_by_value() {
  int snapshot = 3;
  std::thread a([snapshot]() mutable { snapshot++; });
  snapshot = 4;
  a.join();
}

int started_once;
void write_started_once() { started_once++; }
void ok_single_instance_of_the_thread() {
  std::thread a(write_started_once);
  a.join();
  started_once = 0;
}

std::vector<int> collected;
void collect() {
  std::lock_guard<std::mutex> g(m);
  collected.push_back(1);
}
void ok_vector_pushed_under_lock_read_after_join() {
  std::vector<std::thread> pool;
  for (int i = 0; i < 3; ++i)
    pool.push_back(std::thread(collect));
  for (auto &t : pool)
    t.join();
  unsigned long n = collected.size();
  collected.clear();
  (void)n;
}
