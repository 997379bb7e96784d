// A condition-variable wait without a predicate.
#include <condition_variable>
#include <mutex>
std::mutex m;
std::condition_variable cv;
void bad_wait() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk);
}
