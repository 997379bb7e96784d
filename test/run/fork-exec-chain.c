// fork then exec, three generations deep, in a multithreaded process: the
// standard, safe pattern. Each generation is analysed; none is reported.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run -- %t 3 2>&1 | FileCheck %s --implicit-check-not="[snag-"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void *spin(void *arg) {
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
  }
  return arg;
}

int main(int argc, char **argv) {
  int depth = atoi(argv[1]);
  pthread_t t;
  pthread_create(&t, NULL, spin, NULL);
  if (depth > 0) {
    pid_t pid = fork();
    if (pid == 0) {
      char next[16];
      snprintf(next, sizeof next, "%d", depth - 1);
      execl(argv[0], argv[0], next, (char *)NULL);
      _exit(127);
    }
    waitpid(pid, NULL, 0);
  }
  pthread_join(t, NULL);
  printf("generation %d done\n", depth);
  return 0;
}
// CHECK: generation 0 done
// CHECK: generation 1 done
// CHECK: generation 2 done
// CHECK: generation 3 done
