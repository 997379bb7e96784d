// Four threads count page hits into one plain int: the increments race and
// some are lost. ThreadSanitizer sees it; snag run -- ctest reports it.
//
// What snag finds here (test/cli/examples.test holds this list to the truth):
//   snag check  line 15  unprotected-shared-state  four threads write hits with no lock
//   snag run    line 15  data-race  in the ThreadSanitizer build (examples/tsan)
#include <cstdio>
#include <thread>
#include <vector>

static long hits = 0;

static void serve(int requests) {
  for (int i = 0; i < requests; ++i)
    ++hits; // the race: read, add, write back, with no lock
}

int main() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back(serve, 1000);
  for (std::thread &t : workers)
    t.join();
  std::printf("%ld hits\n", hits);
}
