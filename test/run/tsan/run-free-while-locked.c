// REQUIRES: runtime
// In a ThreadSanitizer build the program's free is ThreadSanitizer's, not
// the shim's: a block freed while the freeing thread holds a lock inside it
// is still reported, through the sanitizer's free hook.
// RUN: %clang -fsanitize=thread -g -O1 %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --implicit-check-not="[snag-mutex-destroyed-locked]"
// The look-alike: the same block freed after the unlock.
// RUN: %snag run -- %t ok 2>&1 | FileCheck %s --check-prefix=OK --implicit-check-not="[snag-"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct Job {
  pthread_mutex_t lock;
  int state;
};

int main(int argc, char **argv) {
  struct Job *job = malloc(sizeof(*job));
  pthread_mutex_init(&job->lock, NULL);
  pthread_mutex_lock(&job->lock);
  job->state = 1;
  if (argc > 1) {
    pthread_mutex_unlock(&job->lock);
    pthread_mutex_destroy(&job->lock);
    free(job);
    puts("freed after unlock");
    return 0;
  }
  free(job);
  // CHECK: run-free-while-locked.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 frees the memory of {{.*}} while it holds it{{.*}} [snag-mutex-destroyed-locked]
  return 0;
}
// OK: freed after unlock
