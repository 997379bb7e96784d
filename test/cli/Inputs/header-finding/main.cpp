// Includes a header with a finding, and has one of its own (line 6).
#include "waits.h"
std::mutex mm;
std::condition_variable mcv;
void main_wait() {
  std::unique_lock<std::mutex> lk(mm); mcv.wait(lk);
}
