// unprotected-shared-state with the real standard library headers.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <atomic>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

void prod(const std::vector<int> &x, std::map<std::string, long> &results,
          const std::string &key) {
  long square = 0;
  for (int i : x)
    square += i * i;
  results[key] = square;
  // CHECK: :[[@LINE-1]]:3: warning: `results` is written{{.*}}[snag-unprotected-shared-state]
}
void bad_map_from_two_threads() {
  std::vector<int> x1{1, 2}, x2{3, 4};
  std::map<std::string, long> results;
  std::thread p1(prod, std::cref(x1), std::ref(results), "a");
  std::thread p2(prod, std::cref(x2), std::ref(results), "b");
  p1.join();
  p2.join();
}

std::mutex lock;
std::vector<std::string> names;
void add_name() {
  std::lock_guard<std::mutex> g(lock);
  names.push_back("x");
}
void ok_guarded_vector_read_after_join() {
  std::vector<std::jthread> pool;
  {
    std::thread a(add_name), b(add_name);
    a.join();
    b.join();
  }
  auto n = names.size();
  (void)n;
}

std::atomic<long> served{0};
std::shared_mutex rw;
std::map<int, int> cache;
int lookup(int k) {
  std::shared_lock r(rw);
  auto it = cache.find(k);
  return it == cache.end() ? -1 : it->second;
}
void store(int k, int v) {
  std::unique_lock w(rw);
  cache[k] = v;
  served++;
}
void ok_reader_writer_cache() {
  std::thread a([] { lookup(1); }), b([] { store(1, 2); });
  a.join();
  b.join();
}

long slots[2];
void fill_slot(long *out) { *out = 3; }
void ok_distinct_slots() {
  std::thread a(fill_slot, &slots[0]), b(fill_slot, &slots[1]);
  a.join();
  b.join();
}
