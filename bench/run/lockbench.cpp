// lockbench: the cost of a lock/unlock pair, uncontended and contended.
//
//   lockbench uncontended N    one thread, N lock/unlock pairs of one mutex
//   lockbench contended N      two threads, N pairs each on one shared mutex
//   lockbench nested N         one thread, N pairs of two nested mutexes
//
// Prints the nanoseconds per lock/unlock pair, measured inside the program
// so that start-up (loading, symbolizing) is not counted.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

static std::mutex a, b;
static volatile long counter;

static void pairs(long n) {
  for (long i = 0; i < n; ++i) {
    a.lock();
    counter = counter + 1;
    a.unlock();
  }
}

static void nested(long n) {
  for (long i = 0; i < n; ++i) {
    std::lock_guard<std::mutex> x(a);
    std::lock_guard<std::mutex> y(b);
    counter = counter + 1;
  }
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  long n = std::atol(argv[2]);
  // A second thread exists in every mode, so the uncontended case measures
  // the multithreaded path (no single-threaded shortcut).
  std::thread idle([] {});
  idle.join();
  auto start = std::chrono::steady_clock::now();
  long ops = n;
  if (!std::strcmp(argv[1], "uncontended")) {
    pairs(n);
  } else if (!std::strcmp(argv[1], "nested")) {
    nested(n);
  } else {
    std::thread t(pairs, n);
    pairs(n);
    t.join();
    ops = 2 * n;
  }
  double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  std::printf("%.2f\n", ns / ops);
}
