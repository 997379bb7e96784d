// SIGTERM, SIGHUP, SIGINT or SIGQUIT sent to snag run reach the program, which
// ends; snag run then reports and exits with the program's status, and its
// report folder is gone. Nothing is left running.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: rm -rf %t.tmp && mkdir -p %t.tmp
// RUN: %python %S/Inputs/signal-run.py TERM %snag %t %t.tmp | FileCheck %s --check-prefixes=CHECK,TERM
// RUN: %python %S/Inputs/signal-run.py HUP %snag %t %t.tmp | FileCheck %s --check-prefixes=CHECK,HUP
// RUN: %python %S/Inputs/signal-run.py INT %snag %t %t.tmp | FileCheck %s --check-prefixes=CHECK,INT
// RUN: %python %S/Inputs/signal-run.py QUIT %snag %t %t.tmp | FileCheck %s --check-prefixes=CHECK,QUIT
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void onSignal(int Sig) {
  char Msg[64];
  int N = snprintf(Msg, sizeof(Msg), "program got %s\n", strsignal(Sig));
  write(1, Msg, N);
  _exit(Sig == SIGTERM ? 7 : 8);
}

int main(void) {
  signal(SIGTERM, onSignal);
  signal(SIGINT, onSignal);
  // SIGHUP and SIGQUIT keep their defaults: the program dies of them.
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  printf("ready %d\n", (int)getpid());
  fflush(stdout);
  for (;;)
    pause();
}
// TERM: program got Terminated
// TERM: snag exit 7
// INT: program got Interrupt
// INT: snag exit 8
// HUP: snag run: the program died by signal 1 (SIGHUP)
// HUP: snag exit 129
// QUIT: snag run: the program died by signal 3 (SIGQUIT)
// QUIT: snag exit 131
// CHECK: program gone
// CHECK: report folder removed
