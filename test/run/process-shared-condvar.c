// A parent waits, with no time limit, on a PTHREAD_PROCESS_SHARED
// condition variable that its child signals later. Another process can end
// that wait, so it is never "stuck" for the watchdog: no deadlock, and the
// program runs to its end.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run --option watchdog_ms=200 -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// The look-alike: a process-private condition variable nobody signals is
// stuck, and reported.
// RUN: not %snag run --option watchdog_ms=200 -- %t private 2>&1 | FileCheck %s --check-prefix=PRIVATE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct Shared {
  pthread_mutex_t M;
  pthread_cond_t C;
  int Ready;
};

int main(int argc, char **argv) {
  int Private = argc > 1 && strcmp(argv[1], "private") == 0;
  struct Shared *S = mmap(NULL, sizeof(*S), PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pthread_mutexattr_t MA;
  pthread_condattr_t CA;
  pthread_mutexattr_init(&MA);
  pthread_condattr_init(&CA);
  if (!Private) {
    pthread_mutexattr_setpshared(&MA, PTHREAD_PROCESS_SHARED);
    pthread_condattr_setpshared(&CA, PTHREAD_PROCESS_SHARED);
  }
  pthread_mutex_init(&S->M, &MA);
  pthread_cond_init(&S->C, &CA);
  pid_t Child = fork();
  if (Child == 0) {
    if (Private)
      _exit(0); // and never signals
    usleep(800 * 1000); // four watchdog periods
    pthread_mutex_lock(&S->M);
    S->Ready = 1;
    pthread_cond_signal(&S->C);
    pthread_mutex_unlock(&S->M);
    _exit(0);
  }
  pthread_mutex_lock(&S->M);
  while (!S->Ready)
    pthread_cond_wait(&S->C, &S->M);
  pthread_mutex_unlock(&S->M);
  waitpid(Child, NULL, 0);
  puts("signalled by the child");
  return 0;
}
// CHECK: signalled by the child
// PRIVATE: warning: the run is stuck{{.*}} [snag-deadlock]
