// Each round allocates two mutexes, takes them in one order in a worker,
// frees them; the next round's mutexes land on the same addresses, swapped,
// and are taken in the other order. Different locks: nothing to report.
// RUN: %clangxx -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <cstdio>
#include <mutex>
#include <pthread.h>
#include <cstdlib>
#include <thread>

struct Pair {
  std::mutex first, second;
};

int main() {
  int reused = 0;
  void *last_first = nullptr;
  for (int round = 0; round < 200; ++round) {
    Pair *p = new Pair;
    reused += (void *)&p->first == last_first;
    last_first = &p->first;
    std::thread t([p, round] {
      std::mutex &x = round % 2 ? p->first : p->second;
      std::mutex &y = round % 2 ? p->second : p->first;
      std::lock_guard<std::mutex> g1(x);
      std::lock_guard<std::mutex> g2(y);
    });
    t.join();
    delete p;
  }
  // The same with C mutexes from malloc, initialized and destroyed.
  for (int round = 0; round < 200; ++round) {
    pthread_mutex_t *m = (pthread_mutex_t *)malloc(2 * sizeof(pthread_mutex_t));
    pthread_mutex_init(&m[0], nullptr);
    pthread_mutex_init(&m[1], nullptr);
    std::thread t([m, round] {
      pthread_mutex_lock(&m[round % 2]);
      pthread_mutex_lock(&m[1 - round % 2]);
      pthread_mutex_unlock(&m[1 - round % 2]);
      pthread_mutex_unlock(&m[round % 2]);
    });
    t.join();
    pthread_mutex_destroy(&m[0]);
    pthread_mutex_destroy(&m[1]);
    free(m);
  }
  std::printf("addresses reused: %s\n", reused > 100 ? "yes" : "no");
}
// CHECK: addresses reused: yes
