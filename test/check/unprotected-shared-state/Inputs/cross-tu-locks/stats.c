// Lock functions built on the lock functions of another file.
#include "locks.h"

void stats_enter(void) { STATS_LOCK(); }
void stats_leave(void) { STATS_UNLOCK(); }
