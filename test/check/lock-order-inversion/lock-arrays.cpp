// lock-order-inversion inside one array of std::mutex: guards taking one
// element and then another by an index in no fixed order. Look-alikes:
// std::scoped_lock and std::lock take both at once, deadlock-free; a
// single thread.
// RUN: not %snag check --no-cache --format text %s -- -std=c++17 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="warning:"

#include <mutex>
#include <thread>
#include <vector>

constexpr int N = 5;
std::mutex forks[N];
std::mutex chopsticks[N];
std::mutex plates[N];
int meals[N];

void dine(int i) {
  std::lock_guard<std::mutex> left(forks[i]);
  std::lock_guard<std::mutex> right(forks[(i + 1) % N]);
  // CHECK: :[[@LINE-1]]:31: warning: `forks[(i + 1) % N]` is taken while holding `forks[i]` in `dine`{{.*}} [snag-lock-order-inversion]
  meals[i]++;
}

void dine_scoped(int i) {
  std::scoped_lock both(chopsticks[i], chopsticks[(i + 1) % N]);
}

void dine_lock(int i) {
  std::unique_lock<std::mutex> a(plates[i], std::defer_lock);
  std::unique_lock<std::mutex> b(plates[(i + 1) % N], std::defer_lock);
  std::lock(a, b);
}

std::mutex alone[N];
void dine_alone(int i) {
  std::lock_guard<std::mutex> left(alone[i]);
  std::lock_guard<std::mutex> right(alone[(i + 1) % N]);
}

int main() {
  std::vector<std::thread> ts;
  for (int i = 0; i < N; ++i) {
    ts.emplace_back(dine, i);
    ts.emplace_back(dine_scoped, i);
    ts.emplace_back(dine_lock, i);
  }
  std::thread one(dine_alone, 2);
  one.join();
  for (auto &t : ts)
    t.join();
}
