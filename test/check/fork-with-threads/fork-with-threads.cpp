// RUN: not %snag check --no-cache --format text %s -- -I %S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-thread.h"

void work();
void child_work();
std::mutex m;

void bad_child_takes_lock() {
  std::thread t(work);
  // CHECK: :[[@LINE+2]]:15: warning: fork() while another thread may be running{{.*}} [snag-fork-with-threads]
  // CHECK: :[[@LINE-2]]:15: note: a thread is started here and is not joined before the fork
  pid_t pid = fork();
  if (pid == 0) {
    std::lock_guard<std::mutex> g(m);
    _exit(0);
  }
  t.join();
}

void bad_child_not_inspected() {
  std::thread(work).detach();
  // CHECK: :[[@LINE+1]]:3: warning: fork() while another thread may be running{{.*}} [snag-fork-with-threads]
  fork();
  child_work();
}

void spawn_worker() {
  pid_t pid = fork();
  // CHECK: :[[@LINE-1]]:15: warning: fork() while another thread may be running{{.*}} [snag-fork-with-threads]
  if (!pid) {
    child_work();
    _exit(0);
  }
}

void start_logger() { std::thread(work).detach(); }

void bad_fork_in_callee() {
  // CHECK: :[[@LINE+1]]:3: note: this call leaves a thread running
  start_logger();
  // CHECK: :[[@LINE+1]]:3: note: then `bad_fork_in_callee` calls `spawn_worker`, which leads to the fork
  spawn_worker();
}

void ok_fork_then_exec(char **argv) {
  std::thread t(work);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(1, 2);
    execvp(argv[0], argv);
    _exit(127);
  }
  t.join();
}

void ok_switch_exec(char **argv) {
  std::thread t(work);
  switch (pid_t pid = fork()) {
  case 0:
    close(3);
    execvp(argv[0], argv);
    _exit(127);
  default:
    waitpid(pid, 0, 0);
  }
  t.join();
}

void ok_fork_before_threads() {
  pid_t pid = fork();
  if (pid == 0) {
    child_work();
    _exit(0);
  }
  std::thread t(work);
  t.join();
}

void ok_fork_after_join() {
  std::thread t(work);
  t.join();
  pid_t pid = fork();
  if (pid == 0) {
    child_work();
    _exit(0);
  }
}

void ok_fork_after_join_loop() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back(work);
  for (auto &t : threads)
    t.join();
  if (fork() == 0) {
    child_work();
    _exit(0);
  }
}
