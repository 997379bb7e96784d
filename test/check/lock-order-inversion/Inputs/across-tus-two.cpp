// The other half of across-tus.cpp: flush_log takes table_lock while holding
// log_lock.
#include "mock-sync.h"

std::mutex table_lock;
extern std::mutex log_lock;
int log_size, table_size;

void append_log_entry(int v) {
  std::lock_guard<std::mutex> g(log_lock);
  log_size += v;
}

void flush_log() {
  std::lock_guard<std::mutex> g(log_lock);
  std::lock_guard<std::mutex> t(table_lock);
  table_size = log_size;
}
