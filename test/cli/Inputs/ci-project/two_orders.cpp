// Takes two locks in both orders, one thread after the other: no hang
// today, a deadlock when the threads overlap.
#include <mutex>
#include <thread>

std::mutex first, second;

void forward() {
  std::lock_guard<std::mutex> a(first);
  std::lock_guard<std::mutex> b(second);
}

void backward() {
  std::lock_guard<std::mutex> b(second);
  std::lock_guard<std::mutex> a(first);
}

int main() {
  std::thread t1(forward);
  t1.join();
  std::thread t2(backward);
  t2.join();
}
