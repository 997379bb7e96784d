// The callers of across-tus.cpp's functions.
#include "mock-sync.h"

extern std::mutex stats_lock, other_lock;
extern std::recursive_mutex rec_lock;
extern std::shared_mutex table_lock;

void bump_stats();
void bump_other();
void bump_recursive();
int read_table();

struct Queue {
  std::mutex m_;
  int n_ = 0;
  int size();
  void push(int v);
};

void bad_report_holding_stats() {
  std::lock_guard<std::mutex> g(stats_lock);
  bump_stats();
}

void ok_report_after_unlock() {
  {
    std::lock_guard<std::mutex> g(stats_lock);
  }
  bump_stats();
}

void ok_other_lock_held() {
  std::lock_guard<std::mutex> g(other_lock);
  bump_stats();
}

void ok_recursive() {
  std::lock_guard<std::recursive_mutex> g(rec_lock);
  bump_recursive();
}

int ok_two_readers() {
  std::shared_lock<std::shared_mutex> g(table_lock);
  return read_table();
}

void Queue::push(int v) {
  std::lock_guard<std::mutex> g(m_);
  if (size() < 10)
    n_ += v;
}

int ok_other_queue(Queue &a, Queue &b) {
  std::lock_guard<std::mutex> g(a.m_);
  return b.size();
}

