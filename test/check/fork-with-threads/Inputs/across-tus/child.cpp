// Forks for across-tus.cpp: children that go on without exec, one that
// execs, and one fork in a file that also starts a thread.
#include "mock-thread.h"
void child_work();
void work();

void run_child() {
  // CHILD: :[[@LINE+1]]:15: warning: fork() while another thread may be running{{.*}} [snag-fork-with-threads]
  pid_t pid = fork();
  if (pid == 0) {
    child_work();
    _exit(0);
  }
}

void fork_with_local() {
  // CHILD: :[[@LINE+1]]:15: warning: fork() while another thread may be running{{.*}} [snag-fork-with-threads]
  pid_t pid = fork();
  if (pid == 0)
    child_work();
}

void fork_deep() {
  // CHILD: :[[@LINE+1]]:3: warning: fork() while another thread may be running{{.*}} [snag-fork-with-threads]
  fork();
  child_work();
}

void launch() {
  // CHILD: :[[@LINE+1]]:3: note: `launch` calls `fork_deep` here, which leads to the fork
  fork_deep();
}

void fork_after_join() {
  if (fork() == 0)
    child_work();
}

void fork_after_joining_starter() {
  if (fork() == 0)
    child_work();
}

void spawn_tool() {
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[] = {nullptr};
    execvp("tool", argv);
    _exit(127);
  }
}

void fork_before_start() {
  if (fork() == 0)
    child_work();
}

void start_local_and_fork() {
  std::thread(work).detach();
  // CHILD: :[[@LINE+2]]:3: warning: fork() while another thread may be running{{.*}} [snag-fork-with-threads]
  // CHILD: :[[@LINE-2]]:3: note: a thread is started here and is not joined before the fork
  fork();
  child_work();
}
