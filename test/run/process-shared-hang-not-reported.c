// What snag run does not report: a hang across processes. The parent waits
// on a PTHREAD_PROCESS_SHARED condition variable that its child never
// signals (the child exits). Only another process could end the wait, and
// no process can know that none will (an unrelated process may map the same
// memory), so the watchdog never counts the wait as stuck: nothing is
// reported, and the program waits until it is stopped (here by timeout,
// whose SIGTERM snag run forwards). docs/run.md says so.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not timeout 3 %snag run --option watchdog_ms=200 -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// CHECK: waiting for a child that exits without signalling
// The same wait with a time limit ends by itself: nothing to report either.
// RUN: %snag run --option watchdog_ms=200 -- %t timed 2>&1 | FileCheck %s --check-prefix=TIMED --implicit-check-not="[snag-"
// TIMED: the wait timed out
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct Shared {
  pthread_mutex_t M;
  pthread_cond_t C;
  int Ready;
};

int main(int argc, char **argv) {
  int Timed = argc > 1 && strcmp(argv[1], "timed") == 0;
  struct Shared *S = mmap(NULL, sizeof(*S), PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pthread_mutexattr_t MA;
  pthread_condattr_t CA;
  pthread_mutexattr_init(&MA);
  pthread_condattr_init(&CA);
  pthread_mutexattr_setpshared(&MA, PTHREAD_PROCESS_SHARED);
  pthread_condattr_setpshared(&CA, PTHREAD_PROCESS_SHARED);
  pthread_mutex_init(&S->M, &MA);
  pthread_cond_init(&S->C, &CA);
  pid_t Child = fork();
  if (Child == 0)
    _exit(0);
  waitpid(Child, NULL, 0);
  printf("waiting for a child that exits without signalling\n");
  fflush(stdout);
  struct timespec Deadline;
  clock_gettime(CLOCK_REALTIME, &Deadline);
  Deadline.tv_sec += 1;
  pthread_mutex_lock(&S->M);
  int R = 0;
  while (!S->Ready && R != ETIMEDOUT)
    R = Timed ? pthread_cond_timedwait(&S->C, &S->M, &Deadline)
              : pthread_cond_wait(&S->C, &S->M);
  pthread_mutex_unlock(&S->M);
  if (R == ETIMEDOUT)
    puts("the wait timed out");
  return 0;
}
