// RUN: not %snag check --no-cache --format text %s -- -I %S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-thread.h"

void work();
void check(int v) {
  if (v < 0)
    throw 1;
}
void check_noexcept(int v) noexcept;
void log_line(const char *s);

void bad_never_joined() {
  // CHECK: :[[@LINE+1]]:15: warning: thread `t` is destroyed while still joinable when `bad_never_joined` returns here{{.*}} [snag-missing-join]
  std::thread t(work);
  return;
  // CHECK: :[[@LINE-1]]:3: note: `bad_never_joined` returns here without joining or detaching `t`
}

void bad_exception_skips_join(int v) {
  // CHECK: :[[@LINE+1]]:15: warning: thread `t` is destroyed while still joinable if an exception leaves `bad_exception_skips_join`{{.*}} [snag-missing-join]
  std::thread t(work);
  check(v);
  // CHECK: :[[@LINE-1]]:3: note: an exception from `check` here skips the join of `t`
  t.join();
}

void bad_joined_on_one_branch(bool b) {
  // CHECK: :[[@LINE+1]]:15: warning: thread `t` can go out of scope while still joinable{{.*}} [snag-missing-join]
  std::thread t(work);
  if (b)
    t.join();
}
// CHECK: :[[@LINE-1]]:1: note: `t` goes out of scope here without being joined or detached

void bad_temporary() {
  // CHECK: :[[@LINE+1]]:3: warning: this std::thread temporary is destroyed at the end of the statement while still joinable{{.*}} [snag-missing-join]
  std::thread{work};
}

void bad_vector_never_joined() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    // CHECK: :[[@LINE+1]]:5: warning: the threads added to `threads` are never joined{{.*}} [snag-missing-join]
    threads.emplace_back(work);
}
// CHECK: :[[@LINE-1]]:1: note: `threads` is destroyed here

class BadMember {
public:
  // CHECK: :[[@LINE+1]]:17: warning: member thread `t_` is never joined or detached{{.*}} [snag-missing-join]
  BadMember() : t_(work) {}

private:
  std::thread t_;
  // CHECK: :[[@LINE-1]]:15: note: `t_` is declared here; nothing in this file joins or detaches it
};

void ok_joined() {
  std::thread t(work);
  t.join();
}

void ok_detached() {
  std::thread t(work);
  t.detach();
}

void ok_noexcept_call_between(int v) {
  std::thread t(work);
  check_noexcept(v);
  log_line("unknown functions are taken not to throw");
  t.join();
}

void ok_joinable_guard(bool b) {
  std::thread t;
  if (b)
    t = std::thread(work);
  if (t.joinable())
    t.join();
}

void ok_moved_then_joined() {
  std::thread a(work);
  std::thread b = std::move(a);
  b.join();
}

void ok_move_assigned_then_joined() {
  std::thread a(work);
  std::thread b;
  b = std::move(a);
  b.join();
}

void join_helper(std::thread &t) { t.join(); }
void ok_joined_in_helper() {
  std::thread t(work);
  join_helper(t);
}

std::thread ok_returned_to_caller() {
  std::thread t(work);
  return t;
}

void ok_vector_join_loop() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(work);
  for (auto &t : threads)
    t.join();
}

void ok_vector_index_loop() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.push_back(std::thread(work));
  for (unsigned long i = 0; i < threads.size(); ++i)
    threads[i].join();
}

void ok_moved_into_vector() {
  std::vector<std::thread> threads;
  std::thread t(work);
  threads.push_back(std::move(t));
  for (auto &w : threads)
    w.join();
}

void ok_catch_joins_and_rethrows(int v) {
  std::thread t(work);
  try {
    check(v);
  } catch (...) {
    t.join();
    throw;
  }
  t.join();
}

void ok_jthread() { std::jthread j(work); }

void ok_async() { auto f = std::async(std::launch::async, work); }

class RaiiJoiner {
public:
  explicit RaiiJoiner(std::thread &t) : t_(t) {}
  ~RaiiJoiner() {
    if (t_.joinable())
      t_.join();
  }

private:
  std::thread &t_;
};
void ok_raii_joiner(int v) {
  std::thread t(work);
  RaiiJoiner j(t);
  check(v);
}

class OkMember {
public:
  OkMember() : t_(work) {}
  ~OkMember() {
    if (t_.joinable())
      t_.join();
  }

private:
  std::thread t_;
};

class OkMemberStartedLater {
public:
  void start() { t_ = std::thread(work); }
  void stop() { t_.join(); }

private:
  std::thread t_;
};

void ok_temporary_detached() { std::thread(work).detach(); }
