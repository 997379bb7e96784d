// Two rules' findings: a wait with no predicate (line 9) and a thread never
// joined (line 13).
#include <condition_variable>
#include <mutex>
#include <thread>
std::mutex m;
std::condition_variable cv;
void bad_wait() {
  std::unique_lock<std::mutex> lk(m); cv.wait(lk);
}
void work() {}
void bad_thread() {
  std::thread t(work);
}
