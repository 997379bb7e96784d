// RUN: not %snag check --no-cache --format text %s -- -I %S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-thread.h"

int next_item();
void handle(int);
std::atomic<bool> stop_flag{false};
bool plain_global_done;

void forever() {
  for (;;)
    handle(next_item());
}

void spin_on_local() {
  bool running = true;
  while (running)
    handle(next_item());
}

void serve() { forever(); }

void until_stopped() {
  while (!stop_flag)
    handle(next_item());
}

void until_global() {
  while (!plain_global_done)
    handle(next_item());
}

void breaks_out() {
  while (true) {
    int v = next_item();
    if (v < 0)
      break;
    handle(v);
  }
}

void with_token(std::stop_token tok) {
  while (!tok.stop_requested())
    handle(next_item());
}

void finite() {
  for (int i = 0; i < 10; ++i)
    handle(i);
}

void *c_forever(void *) {
  for (;;)
    handle(next_item());
  return 0;
}

void bad_detached_forever() {
  std::thread t(forever);
  // CHECK: :[[@LINE+1]]:5: warning: this thread is detached and runs `forever`, which loops forever{{.*}} [snag-leaked-thread]
  t.detach();
}

void bad_detached_temporary_local_flag() {
  // CHECK: :[[@LINE+1]]:30: warning: this thread is detached and runs `spin_on_local`{{.*}} [snag-leaked-thread]
  std::thread(spin_on_local).detach();
}

void bad_detached_loop_in_callee() {
  std::thread t(serve);
  // CHECK: :[[@LINE+1]]:5: warning: this thread is detached and runs `serve`{{.*}} [snag-leaked-thread]
  t.detach();
}

void bad_pthread_detached() {
  pthread_t t;
  pthread_create(&t, 0, c_forever, 0);
  // CHECK: :[[@LINE+1]]:3: warning: this thread is detached and runs `c_forever`{{.*}} [snag-leaked-thread]
  pthread_detach(t);
}

void ok_detached_stop_flag() {
  std::thread t(until_stopped);
  t.detach();
}

void ok_detached_global_flag() { std::thread(until_global).detach(); }

void ok_detached_breaks() { std::thread(breaks_out).detach(); }

void ok_detached_finite() { std::thread(finite).detach(); }

void ok_jthread_stop_token() { std::jthread j(with_token); }

void ok_joined_forever_is_not_leaked() {
  std::thread t(until_stopped);
  stop_flag = true;
  t.join();
}

void ok_detached_lambda_with_flag() {
  std::thread([] {
    while (!stop_flag)
      handle(next_item());
  }).detach();
}

// assert() and abort() end the process on a broken invariant: they are not a
// way for another thread to stop the loop.
extern "C" void __assert_fail(const char *, const char *, unsigned,
                              const char *) __attribute__((noreturn));
extern "C" void abort() __attribute__((noreturn));
extern "C" void exit(int) __attribute__((noreturn));
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, ""))

class Pool {
public:
  void start();
  void start_with_exit();

private:
  static void entry(Pool *p) { p->run(); }
  static void entry_with_exit(Pool *p) { p->run_until_quit(); }
  void run();
  void run_until_quit();
  int pending_;
};

void Pool::run() {
  while (true) {
    int v = next_item();
    assert(v >= 0);
    if (v > 1000)
      abort();
    handle(v);
  }
}

void Pool::run_until_quit() {
  while (true) {
    int v = next_item();
    if (v < 0)
      exit(0);
    handle(v);
  }
}

void Pool::start() {
  std::thread t(Pool::entry, this);
  // CHECK: :[[@LINE+1]]:5: warning: this thread is detached and runs `Pool::entry`, which loops forever{{.*}} [snag-leaked-thread]
  t.detach();
}

void Pool::start_with_exit() {
  std::thread t(Pool::entry_with_exit, this);
  t.detach();
}
