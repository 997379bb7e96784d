// Starts the two threads.
#include "shared.h"

int hits;
std::mutex hits_lock, first, second;

void stats_lock() { hits_lock.lock(); }
void stats_unlock() { hits_lock.unlock(); }

void a_worker();
void b_worker();

int main() {
  std::thread ta(a_worker), tb(b_worker);
  ta.join();
  tb.join();
}
