// RUN: not %snag check --no-cache --format text %s -- 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include <mutex>
#include <vector>

std::mutex mutex;
std::vector<int> items;

bool bad_add(int v) {
  mutex.lock();
  // CHECK: :[[@LINE-1]]:9: warning: `mutex` is locked here{{.*}} [snag-lock-not-released]
  if (v < 0)
    return false;
  items.push_back(v);
  mutex.unlock();
  return true;
}

bool ok_add(int v) {
  std::lock_guard<std::mutex> g(mutex);
  if (v < 0)
    return false;
  items.push_back(v);
  return true;
}

bool ok_unique_lock(int v) {
  std::unique_lock<std::mutex> lk(mutex);
  if (v < 0)
    return false;
  lk.unlock();
  return true;
}
