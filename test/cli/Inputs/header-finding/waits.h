// A wait with no predicate in a header (line 7).
#include <condition_variable>
#include <mutex>
inline std::mutex hm;
inline std::condition_variable hcv;
inline void header_wait() {
  std::unique_lock<std::mutex> lk(hm); hcv.wait(lk);
}
