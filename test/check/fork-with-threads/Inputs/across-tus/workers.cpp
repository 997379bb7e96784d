// Thread starts for across-tus.cpp.
#include "mock-thread.h"
void work();
std::vector<std::thread> pool;

void start_workers() {
  for (int i = 0; i < 4; i++)
    // WORKERS: :[[@LINE+1]]:5: note: a thread started here may still run when `start_workers` returns
    pool.emplace_back(work);
}

void start_and_join_workers() {
  std::vector<std::thread> local;
  for (int i = 0; i < 4; i++)
    local.emplace_back(work);
  for (auto &t : local)
    t.join();
}
