// Uses exceptions: does not parse with -fno-exceptions.
#include <stdexcept>
void fail() { throw std::runtime_error("no"); }
