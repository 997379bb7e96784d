// Nothing to report; includes counter.h.
#include "counter.h"
int clean_value() { return next_step(); }
