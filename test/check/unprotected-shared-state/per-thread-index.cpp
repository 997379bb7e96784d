// unprotected-shared-state and std::thread instances that each write their
// own element: the loop index passed by value, or captured by copy by a
// lambda started in the loop over it. Look-alikes that are races: a lambda
// capturing the index by reference, an element computed from the index,
// a captured value that is not the loop's index.
// RUN: not %snag check --no-cache --format text %s -- -std=c++17 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <thread>
#include <vector>

constexpr int N = 8;
int by_value[N];
int by_copy[N];
int by_ref[N];
int shifted[N];
int fixed[N];

void fill(int i) { by_value[i] = i * 2; }

int main() {
  {
    std::vector<std::thread> ts;
    for (int i = 0; i < N; ++i)
      ts.emplace_back(fill, i);
    for (auto &t : ts)
      t.join();
  }
  {
    std::vector<std::thread> ts;
    for (int i = 0; i < N; ++i)
      ts.emplace_back([i] { by_copy[i] += 1; });
    for (auto &t : ts)
      t.join();
  }
  {
    std::vector<std::thread> ts;
    for (int i = 0; i < N; ++i)
      ts.emplace_back([&i] { by_ref[i] += 1; });
    // The loop's `++i` races with the threads' reads of `i` too.
    // CHECK: :[[@LINE-3]]:30: warning: `i` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
    // CHECK: :[[@LINE-3]]:30: warning: `by_ref` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
    for (auto &t : ts)
      t.join();
  }
  {
    std::vector<std::thread> ts;
    for (int i = 0; i < N; ++i)
      ts.emplace_back([i] { shifted[(i + 1) % N] += 1; });
    // CHECK: :[[@LINE-1]]:29: warning: `shifted` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
    for (auto &t : ts)
      t.join();
  }
  {
    int k = 3;
    std::vector<std::thread> ts;
    for (int i = 0; i < N; ++i)
      ts.emplace_back([k] { fixed[k] += 1; });
    // CHECK: :[[@LINE-1]]:29: warning: `fixed` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
    for (auto &t : ts)
      t.join();
  }
}
