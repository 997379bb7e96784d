// Takes two locks in one order only: nothing to report.
#include <mutex>
#include <thread>

std::mutex first, second;

void forward() {
  std::lock_guard<std::mutex> a(first);
  std::lock_guard<std::mutex> b(second);
}

int main() {
  std::thread t1(forward), t2(forward);
  t1.join();
  t2.join();
}
