// The same counting as hit_counter, with every increment under a lock.
//
// What snag finds here (test/cli/examples.test holds this list to the truth):
// nothing, with snag check or snag run.
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

static long hits = 0;
static std::mutex hits_mutex;

static void serve(int requests) {
  for (int i = 0; i < requests; ++i) {
    std::lock_guard<std::mutex> g(hits_mutex);
    ++hits;
  }
}

int main() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back(serve, 1000);
  for (std::thread &t : workers)
    t.join();
  std::printf("%ld hits\n", hits);
}
