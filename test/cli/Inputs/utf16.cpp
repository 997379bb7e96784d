// A finding after non-ASCII text on its line: its column in UTF-8 bytes
// differs from its column in UTF-16 code units.
#include <condition_variable>
#include <mutex>
std::mutex m;
std::condition_variable cv;
void bad_wait() {
  std::unique_lock<std::mutex> lk(m); /* é😀 */ cv.wait(lk);
}
