// Takes two locks in one order only: nothing to report.
#include <mutex>
#include <thread>

std::mutex inbox, outbox;

void move_mail() {
  std::lock_guard<std::mutex> a(inbox);
  std::lock_guard<std::mutex> b(outbox);
}

int main() {
  std::thread t1(move_mail), t2(move_mail);
  t1.join();
  t2.join();
}
