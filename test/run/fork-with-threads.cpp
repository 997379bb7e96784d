// The parent's other thread holds a lock at the fork; the child, which does
// not have that thread, asks for the lock and would wait forever. snag
// reports the cause and ends the child; the parent finishes.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// CHECK: child exit 66
#include <atomic>
#include <cstdio>
#include <mutex>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

std::mutex log_mutex;
std::atomic<bool> holding{false}, stop{false};

int main() {
  std::thread holder([] {
    std::lock_guard<std::mutex> g(log_mutex);
    holding = true;
    while (!stop)
      usleep(1000);
  });
  while (!holding)
    usleep(1000);
  pid_t pid = fork();
  if (pid == 0) {
    std::lock_guard<std::mutex> g(log_mutex);
    // CHECK: fork-with-threads.cpp:[[@LINE-1]]:{{[0-9]+}}: warning: the child of a fork made while 2 threads ran waits forever for `log_mutex`: thread T1 held it at the fork {{.*}} [snag-fork-with-threads]
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  stop = true;
  holder.join();
  std::printf("child exit %d\n", WEXITSTATUS(status));
}
// CHECK: snag ended process {{[0-9]+}} ({{.*}}) after reporting a fork-with-threads
