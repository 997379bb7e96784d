// A lock-heavy, race-free workload for bench/tsan: 4 threads, each taking
// one of 8 mutexes N times and updating the counter it guards.
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

static std::mutex locks[8];
static long counters[8];

int main(int argc, char **argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 200000;
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t)
    workers.emplace_back([n, t] {
      for (long i = 0; i < n; ++i) {
        int k = (i + t) % 8;
        std::lock_guard<std::mutex> g(locks[k]);
        counters[k] += 1;
      }
    });
  for (std::thread &w : workers)
    w.join();
  long sum = 0;
  for (long c : counters)
    sum += c;
  std::printf("%ld\n", sum);
}
