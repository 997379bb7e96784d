// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

std::mutex m;
std::condition_variable cv;
std::condition_variable_any cv_any;
bool ready = false;
bool stop = false;

void bad_plain_wait() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk);
  // CHECK: :[[@LINE-1]]:6: warning: `cv` is waited on with no predicate and no loop{{.*}} [snag-condvar-wait-no-predicate]
}

void bad_checked_once_with_if() {
  std::unique_lock<std::mutex> lk(m);
  if (!ready)
    cv.wait(lk);
  // CHECK: :[[@LINE-1]]:8: warning: {{.*}} [snag-condvar-wait-no-predicate]
}

void bad_timed_wait() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait_for(lk, std::chrono::milliseconds(10));
  // CHECK: :[[@LINE-1]]:6: warning: {{.*}} [snag-condvar-wait-no-predicate]
}

void bad_condition_variable_any() {
  std::unique_lock<std::mutex> lk(m);
  cv_any.wait(lk);
  // CHECK: :[[@LINE-1]]:10: warning: `cv_any` {{.*}} [snag-condvar-wait-no-predicate]
}

void bad_do_while_zero() {
  std::unique_lock<std::mutex> lk(m);
  do {
    cv.wait(lk);
    // CHECK: :[[@LINE-1]]:8: warning: {{.*}} [snag-condvar-wait-no-predicate]
  } while (0);
}

void bad_endless_loop_without_exit() {
  std::unique_lock<std::mutex> lk(m);
  for (;;) {
    cv.wait(lk);
    // CHECK: :[[@LINE-1]]:8: warning: {{.*}} [snag-condvar-wait-no-predicate]
    ready = false;
  }
}

void bad_loop_around_lambda_only() {
  while (!stop) {
    auto waiter = [] {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk);
      // CHECK: :[[@LINE-1]]:10: warning: {{.*}} [snag-condvar-wait-no-predicate]
    };
    waiter();
  }
}

void bad_break_of_inner_switch() {
  std::unique_lock<std::mutex> lk(m);
  while (true) {
    cv.wait(lk);
    // CHECK: :[[@LINE-1]]:8: warning: {{.*}} [snag-condvar-wait-no-predicate]
    switch (ready) {
    case true:
      break; // leaves the switch, not the loop
    default:
      break;
    }
  }
}

void ok_predicate() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return ready; });
}

void ok_timed_predicate() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait_for(lk, std::chrono::milliseconds(10), [] { return ready; });
}

void ok_any_predicate() {
  std::unique_lock<std::mutex> lk(m);
  cv_any.wait(lk, [] { return ready; });
}

void ok_while_loop() {
  std::unique_lock<std::mutex> lk(m);
  while (!ready)
    cv.wait(lk);
}

void ok_do_while_loop() {
  std::unique_lock<std::mutex> lk(m);
  do {
    cv.wait(lk);
  } while (!ready);
}

void ok_for_loop() {
  std::unique_lock<std::mutex> lk(m);
  for (int spins = 0; !ready; ++spins)
    cv.wait(lk);
}

void ok_endless_loop_with_break() {
  std::unique_lock<std::mutex> lk(m);
  for (;;) {
    cv.wait(lk);
    if (ready)
      break;
  }
}

void ok_endless_loop_checks_first() {
  std::unique_lock<std::mutex> lk(m);
  while (true) {
    if (stop)
      return;
    if (ready) {
      ready = false;
      continue;
    }
    cv.wait_for(lk, std::chrono::milliseconds(10));
  }
}

void ok_worker_loop_on_stop_flag() {
  std::unique_lock<std::mutex> lk(m);
  while (!stop) {
    cv.wait(lk);
    ready = false;
  }
}

void ok_lambda_with_its_own_loop() {
  auto waiter = [] {
    std::unique_lock<std::mutex> lk(m);
    while (!ready)
      cv.wait(lk);
  };
  waiter();
}

// A wrapper that waits on its caller's lock: the caller re-checks.
void ok_wrapper_of_caller_lock(std::unique_lock<std::mutex> &lk) {
  cv.wait(lk);
}

void ok_caller_loops_around_wrapper() {
  std::unique_lock<std::mutex> lk(m);
  while (!ready)
    ok_wrapper_of_caller_lock(lk);
}

void ok_notify_is_not_a_wait() {
  cv.notify_all();
  cv_any.notify_one();
}

template <class T> struct Queue {
  std::mutex qm;
  std::condition_variable qcv;
  T item;
  bool full = false;
  T bad_take_in_template() {
    std::unique_lock<std::mutex> lk(qm);
    qcv.wait(lk);
    // CHECK: :[[@LINE-1]]:9: warning: `qcv` {{.*}} [snag-condvar-wait-no-predicate]
    return item;
  }
  T ok_take_in_template() {
    std::unique_lock<std::mutex> lk(qm);
    qcv.wait(lk, [this] { return full; });
    return item;
  }
};

int use_queues() {
  Queue<int> a;
  Queue<long> b;
  return a.bad_take_in_template() + b.bad_take_in_template() +
         a.ok_take_in_template();
}
