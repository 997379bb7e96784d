// Another thread's code: the header's unlocked write, and the header's
// locks in the other order.
#include "shared.h"

void b_worker() {
  count_hit();
  // B: b.cpp:[[@LINE+1]]:31: note: `b_worker` holds `second` here
  std::lock_guard<std::mutex> b(second);
  // B: b.cpp:[[@LINE+1]]:31: note: `b_worker` takes `first` here
  std::lock_guard<std::mutex> a(first);
}
