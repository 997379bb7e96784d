// Another program of the same tree: one thread, no race of its own, and it
// calls the library code the first program's threads also call.
#include "shared_log.h"
#include <thread>

static long runs;

int main() {
  std::thread t([] { log_line("hello"); });
  t.join();
  ++runs;
  log_line("done");
  return 0;
}
