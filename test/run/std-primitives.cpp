// What the C++ library's primitives call, and that snag sees each:
//   std::mutex, std::timed_mutex     pthread_mutex_lock/trylock/unlock,
//                                    pthread_mutex_clocklock (try_lock_for)
//   std::recursive_mutex             the same, on a recursive mutex
//   std::shared_mutex                pthread_rwlock_rdlock/wrlock/unlock
//   std::condition_variable          pthread_cond_wait (libstdc++),
//                                    pthread_cond_clockwait (wait_for)
//   std::thread, std::jthread        pthread_create, pthread_join, pthread_detach
// One inversion per kind of lock proves the locks are seen; the threads'
// starts and joins are seen or main's exit would report them.
// RUN: %clangxx -std=c++20 -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <thread>

template <typename A, typename B> void inversion(A &a, B &b) {
  std::jthread([&] {
    std::unique_lock<A> x(a);
    std::unique_lock<B> y(b);
  });
  std::thread([&] {
    std::unique_lock<B> y(b);
    std::unique_lock<A> x(a);
  }).join();
}

std::shared_mutex s1, s2;
std::timed_mutex t1, t2;
std::recursive_mutex r1, r2;

int main() {
  inversion(s1, s2);
  inversion(t1, t2);
  inversion(r1, r2);
  // A shared lock waits for writers too: read-then-write orders count.
  std::thread([] { std::shared_lock<std::shared_mutex> r(s1); }).join();

  std::mutex m;
  std::condition_variable cv;
  bool ready = false;
  std::thread waiter([&] {
    std::unique_lock<std::mutex> lk(m);
    while (!cv.wait_for(lk, std::chrono::milliseconds(10), [&] { return ready; })) {
    }
  });
  {
    std::lock_guard<std::mutex> g(m);
    ready = true;
  }
  cv.notify_one();
  waiter.join();
  std::timed_mutex tm;
  if (tm.try_lock_for(std::chrono::milliseconds(1)))
    tm.unlock();
  std::thread([] {}).detach();
  std::puts("done");
}
// CHECK: done
// CHECK-DAG: takes `s2` while holding `s1`{{.*}}[snag-lock-order-inversion]
// CHECK-DAG: takes `t2` while holding `t1`{{.*}}[snag-lock-order-inversion]
// CHECK-DAG: takes `r2` while holding `r1`{{.*}}[snag-lock-order-inversion]
