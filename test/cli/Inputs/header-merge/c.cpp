// Includes the header and calls it, on no thread.
#include "shared.h"

void c_unused() { count_hit_locked(); }
