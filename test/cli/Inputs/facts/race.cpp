// Two threads write `total` without a lock; includes counter.h.
#include "counter.h"
#include <thread>
int total;
void bad_add() { total += next_step(); }
int main() {
  std::thread a(bad_add), b(bad_add);
  a.join();
  b.join();
}
