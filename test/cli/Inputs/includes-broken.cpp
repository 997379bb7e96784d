// Includes a header that does not parse.
#include "broken-header.h"
int g() { return 0; }
