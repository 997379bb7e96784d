// Two threads count hits with no lock, beside a hot loop that shares nothing.
#include <cstdio>
#include <thread>

long hits = 0;

void count_hits() {
  for (int i = 0; i < 100000; ++i)
    hits = hits + 1;
}

__attribute__((noinline)) unsigned long mix(unsigned long n) {
  unsigned long h = 1469598103934665603ul;
  for (unsigned long i = 0; i < n; ++i)
    h = (h ^ i) * 1099511628211ul;
  return h;
}

int main() {
  std::thread a(count_hits), b(count_hits);
  unsigned long h = mix(1000000);
  a.join();
  b.join();
  std::printf("%ld %lu\n", hits, h & 1);
}
