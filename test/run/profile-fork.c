// snag run --profile with a fork: each process counts its own locking, the
// child only what it does after the fork, and each lock is named with its
// process. The child takes `shared_lock` 5 times, the parent 3 times
// before the fork and 4 after.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run --profile --format json -o %t.json -- %t
// RUN: %python %S/Inputs/profile-json.py %t.json | FileCheck %s
// CHECK: locks: 2
// CHECK-DAG: lock `shared_lock` process acquisitions 7 contended 0 {{.*}}
// CHECK-DAG: lock `shared_lock` process acquisitions 5 contended 0 {{.*}}
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

static void take(int times) {
  for (int i = 0; i < times; ++i) {
    pthread_mutex_lock(&shared_lock);
    pthread_mutex_unlock(&shared_lock);
  }
}

int main(void) {
  take(3);
  pid_t child = fork();
  if (child == 0) {
    take(5);
    exit(0);
  }
  take(4);
  waitpid(child, 0, 0);
  return 0;
}
