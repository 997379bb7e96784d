// A parent waits, with no time limit, on a PTHREAD_PROCESS_SHARED
// condition variable that its child signals later. Another process can end
// that wait, so it is never "stuck" for the watchdog: no deadlock, and the
// program runs to its end.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run --option watchdog_ms=200 -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-"
// CHECK: signalled by the child
//
// The same with a condition variable and mutex made without
// PTHREAD_PROCESS_SHARED, in the same shared page. glibc wakes a private
// object through a futex private to each process: the child's signal never
// reaches the parent, which natively waits for ever. The wait is stuck, and
// the report says why.
// RUN: not %snag run --option watchdog_ms=200 -- %t private 2>&1 | FileCheck %s --check-prefix=PRIVATE --implicit-check-not="[snag-"
// PRIVATE: warning: the run is stuck{{.*}}; a wait is on an object in shared memory that was made without PTHREAD_PROCESS_SHARED, so no other process can end it either {{.*}} [snag-deadlock]
// PRIVATE: thread T0 waits on a condition variable (in shared memory, but not made PTHREAD_PROCESS_SHARED):
//
// The look-alike: a private condition variable in private memory that
// nobody signals is stuck, with nothing said of shared memory.
// RUN: not %snag run --option watchdog_ms=200 -- %t unshared 2>&1 | FileCheck %s --check-prefix=UNSHARED --implicit-check-not="[snag-" --implicit-check-not=PTHREAD_PROCESS_SHARED
// UNSHARED: warning: the run is stuck{{.*}} [snag-deadlock]
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
  const char *Mode = argc > 1 ? argv[1] : "";
  int Private = strcmp(Mode, "private") == 0;
  int Unshared = strcmp(Mode, "unshared") == 0;
  struct Shared *S = mmap(NULL, sizeof(*S), PROT_READ | PROT_WRITE,
                          (Unshared ? MAP_PRIVATE : MAP_SHARED) | MAP_ANONYMOUS, -1, 0);
  pthread_mutexattr_t MA;
  pthread_condattr_t CA;
  pthread_mutexattr_init(&MA);
  pthread_condattr_init(&CA);
  if (!Private && !Unshared) {
    pthread_mutexattr_setpshared(&MA, PTHREAD_PROCESS_SHARED);
    pthread_condattr_setpshared(&CA, PTHREAD_PROCESS_SHARED);
  }
  pthread_mutex_init(&S->M, &MA);
  pthread_cond_init(&S->C, &CA);
  pid_t Child = fork();
  if (Child == 0) {
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
