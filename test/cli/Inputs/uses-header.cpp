// Includes shared.h, which the cache test changes.
#include "shared.h"
int use() { return shared_value(); }
