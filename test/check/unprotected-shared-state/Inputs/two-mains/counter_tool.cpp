// A tool whose main starts threads that race on a counter.
#include "shared_log.h"
#include <thread>
#include <vector>

static long hits;

static void serve(int n) {
  for (int i = 0; i < n; ++i)
    ++hits;
  log_line("served");
}

int main() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back(serve, 100);
  for (std::thread &t : workers)
    t.join();
  return hits == 400 ? 0 : 1;
}
