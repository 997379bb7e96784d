// Two workers, opposite orders (used by other tests).
#include <mutex>
#include <thread>

std::mutex a, b;

int main() {
  std::thread t1([] {
    std::lock_guard<std::mutex> x(a);
    std::lock_guard<std::mutex> y(b);
  });
  t1.join();
  std::thread t2([] {
    std::lock_guard<std::mutex> y(b);
    std::lock_guard<std::mutex> x(a);
  });
  t2.join();
}
