// The thread rules over the real <thread>, <vector>, <future> and <unistd.h>.
// RUN: not %snag check --no-cache --format text %s -- -std=c++20 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include <future>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <vector>

static void work() {}
static void validate(int v) {
  if (v < 0)
    throw std::invalid_argument("negative");
}

void bad_exception(int v) {
  // CHECK: :[[@LINE+1]]:15: warning: thread `t` is destroyed while still joinable if an exception leaves `bad_exception`{{.*}} [snag-missing-join]
  std::thread t(work);
  validate(v);
  t.join();
}

void ok_vector(int n) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back(work);
  for (auto &t : threads)
    t.join();
}

void ok_move_and_jthread() {
  std::thread a(work);
  std::thread b = std::move(a);
  b.join();
  std::jthread j(work);
  auto f = std::async(std::launch::async, work);
}

void ok_fork_exec(char **argv) {
  std::thread t(work);
  if (fork() == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  t.join();
}

void ok_detached_by_value() {
  int count = 42;
  std::thread([count] { (void)count; }).detach();
}
