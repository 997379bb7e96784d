// A racy counter beside a hot loop that shares nothing (test/cli/focus-list.test).
#include "stats.h"

#include <mutex>
#include <thread>
#include <vector>

long hits = 0;          // written by two threads, no lock: the suspect
long guarded = 0;       // always under `lock`: not a suspect
std::mutex lock;

void count_hit() { hits = hits + 1; }

long report() { return hits; }

void add_guarded() {
  std::lock_guard<std::mutex> g(lock);
  guarded += 1;
}

// Pure computation on its own data: ThreadSanitizer has nothing to watch.
__attribute__((noinline)) long hot_loop(long n) {
  std::vector<long> v(64, 1);
  long sum = 0;
  for (long i = 0; i < n; ++i)
    sum += v[i % 64] * scaled(i);
  return sum;
}

void worker() {
  for (int i = 0; i < 1000; ++i) {
    count_hit();
    add_guarded();
  }
}

int main(int argc, char **) {
  std::thread a(worker), b(worker);
  long s = hot_loop(argc * 20000000L);
  a.join();
  b.join();
  return int((s + report()) & 1);
}
