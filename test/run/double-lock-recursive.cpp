// The same shape with a recursive mutex is fine; an error-checking pthread
// mutex locked twice fails instead of hanging, and is still reported.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <cstdio>
#include <mutex>
#include <pthread.h>
#include <thread>

std::recursive_mutex rm;

void ok_recursive() {
  std::lock_guard<std::recursive_mutex> a(rm);
  std::lock_guard<std::recursive_mutex> b(rm);
}

int main() {
  std::thread t(ok_recursive);
  t.join();
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  static pthread_mutex_t checked;
  pthread_mutex_init(&checked, &attr);
  pthread_mutex_lock(&checked);
  int err = pthread_mutex_lock(&checked);
  // CHECK: double-lock-recursive.cpp:[[@LINE-1]]:{{.*}}which it already holds: the call fails instead of locking [snag-double-lock]
  pthread_mutex_unlock(&checked);
  std::printf("second lock: %d\n", err);
}
// CHECK-NOT: snag ended
