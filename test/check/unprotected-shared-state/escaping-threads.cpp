// unprotected-shared-state: threads that outlive the function starting them
// run alongside what main does after that call, not before it.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-race.h"

int config;
int requests;
void serve() {
  int v = config;
  (void)v;
  requests++;
  // CHECK: :[[@LINE-1]]:3: warning: `requests` is written by threads that may run at once, with no lock{{.*}}[snag-unprotected-shared-state]
}

void start_server() { std::thread(serve).detach(); }

int main() {
  // ok: configured before the server thread exists.
  config = 1;
  start_server();
  // bad: the server thread, started in start_server(), is still running.
  requests = 0;
  // CHECK: :[[@LINE-1]]:3: note: conflicting write of `requests` in `main`
}
