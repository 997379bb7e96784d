#include "mock-race.h"
extern int port;
extern int limit;
void worker() {
  int v = port + limit;
  (void)v;
}
void start_workers() {
  for (int i = 0; i < 4; ++i)
    std::thread(worker).detach();
}
