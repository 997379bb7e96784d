// unprotected-shared-state: main is the only thread until it calls what
// starts the threads. Set-up done in functions main calls before that (and
// option parsing in main itself) races with nothing; the same write after
// the threads start, or in a function a thread also calls, does.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-race.h"

struct Settings {
  int port;
  int verbose;
  int workers;
};
Settings settings;
int ok_parsed_flag;
int bad_late_limit;
int bad_reinit_count;
int bad_looped_round;

int next_option(int argc, char **argv);

// ok: called from main before any thread exists.
void ok_settings_init() {
  settings.port = 11211;
  settings.workers = 4;
}

// bad: main calls it first, but a worker calls it too.
void bad_reinit() {
  bad_reinit_count++;
  // CHECK: :[[@LINE-1]]:3: warning: `bad_reinit_count` is written by threads that may run at once, with no lock{{.*}}[snag-unprotected-shared-state]
}

void set_late_limit() {
  bad_late_limit = 10;
  // CHECK: :[[@LINE-1]]:3: warning: `bad_late_limit` is {{.*}}[snag-unprotected-shared-state]
}

void worker() {
  int p = settings.port + settings.verbose + ok_parsed_flag;
  (void)p;
  int l = bad_late_limit;
  (void)l;
  bad_reinit();
}

void poller() {
  int r = bad_looped_round;
  (void)r;
}

void start_poller() { std::thread(poller).detach(); }

void start_workers() {
  for (int i = 0; i < settings.workers; ++i)
    std::thread(worker).detach();
}

int main(int argc, char **argv) {
  ok_settings_init();
  bad_reinit();
  // ok: option parsing, a loop in main before the threads start.
  int c;
  while ((c = next_option(argc, argv)) != -1) {
    switch (c) {
    case 'v':
      settings.verbose++;
      break;
    case 'f':
      ok_parsed_flag = 1;
      break;
    }
  }
  start_workers();
  // bad: the workers run from here on.
  set_late_limit();
  // bad: written above the start in the source, but the second round runs
  // while the first round's workers do.
  for (int round = 0; round < 2; ++round) {
    bad_looped_round = round;
    // CHECK: :[[@LINE-1]]:5: warning: `bad_looped_round` is {{.*}}[snag-unprotected-shared-state]
    start_poller();
  }
}
