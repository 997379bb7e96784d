// unprotected-shared-state and range-based for loops: `for (auto &x : v)`
// accesses the elements of v through x; `for (auto x : v)` reads v. The
// messages name the range as written, never the compiler's hidden
// `__range` variable. Look-alikes: a local container, both sides under one
// lock, readers only.
// RUN: not %snag check --no-cache --format text %s -- -std=c++17 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]" --implicit-check-not=__range

#include <mutex>
#include <thread>
#include <vector>

std::vector<int> counts;
int slots[16];
std::vector<int> queue;
std::vector<int> guarded;
std::vector<int> readonly{1, 2, 3};
std::mutex mu;

void bump_all() {
  for (int &c : counts)
    c++;
  // CHECK: :[[@LINE-1]]:5: warning: `counts` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  for (int &s : slots)
    s = 0;
  // CHECK: :[[@LINE-1]]:5: warning: `slots` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  std::vector<int> mine{1, 2};
  for (int &m : mine)
    m++;
  std::lock_guard<std::mutex> g(mu);
  for (int &x : guarded)
    x++;
}

int sum_queue() {
  int sum = 0;
  for (int q : queue)
    sum += q;
  for (const int &r : readonly)
    sum += r;
  return sum;
}

void push() { queue.push_back(1); }
// CHECK: :[[@LINE-1]]:21: warning: `queue` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
// CHECK: range-for.cpp:37:14: note: conflicting read of `queue` in `sum_queue`

int main() {
  std::thread a(bump_all), b(bump_all), c(sum_queue), d(push), e(sum_queue);
  a.join();
  b.join();
  c.join();
  d.join();
  e.join();
}
