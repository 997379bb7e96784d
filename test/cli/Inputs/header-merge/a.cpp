// A thread's code that reaches the header's functions.
#include "shared.h"

void a_worker() {
  count_hit_locked();
  count_hit_wrapped();
  take_in_order();
}
