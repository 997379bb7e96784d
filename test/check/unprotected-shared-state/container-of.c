// unprotected-shared-state and threads handed the address of a member that
// take the containing object back (container_of, with offsetof): the
// accesses through the container are accesses of the object the caller
// allocated. Look-alikes: a read after the join, a field both sides only
// read, a block of its own for each thread of a loop.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

struct list {
  struct list *next;
};
struct job {
  int id;
  int result;
  int state;
  struct list link;
};

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

static void *run(void *arg) {
  struct job *j = container_of(arg, struct job, link);
  j->result = j->id * 2;
  // CHECK: :[[@LINE-1]]:6: warning: `j->result` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  return 0;
}

static void *finish(void *arg) {
  struct list *l = arg;
  struct job *j = container_of(l, struct job, link);
  j->state = 1;
  return 0;
}

static void *finish_plain(void *arg) {
  struct job *j = arg;
  j->state = 1;
  return 0;
}

static void *finish_plain_too(void *arg) {
  struct job *j = arg;
  return (void *)(long)j->id;
}

int main(void) {
  struct job *j = malloc(sizeof *j);
  j->id = 3;
  pthread_t t;
  pthread_create(&t, 0, run, &j->link);
  int early = j->result + j->id;
  pthread_join(t, 0);
  int late = j->result;

  pthread_t w[4];
  for (int i = 0; i < 4; i++) {
    struct job *own = malloc(sizeof *own);
    own->state = 0;
    pthread_create(&w[i], 0, finish, &own->link);
  }
  for (int i = 0; i < 4; i++)
    pthread_join(w[i], 0);

  // The same, handed by value; and a block written after its thread
  // started, which races with it.
  for (int i = 0; i < 4; i++) {
    struct job *mine = malloc(sizeof *mine);
    mine->state = 0;
    pthread_create(&w[i], 0, finish_plain, mine);
  }
  for (int i = 0; i < 4; i++)
    pthread_join(w[i], 0);
  for (int i = 0; i < 4; i++) {
    struct job *shared = malloc(sizeof *shared);
    pthread_create(&w[i], 0, finish_plain_too, shared);
    shared->id = i;
    // CHECK: :[[@LINE-1]]:13: warning: `shared->id` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
  }
  for (int i = 0; i < 4; i++)
    pthread_join(w[i], 0);
  return early + late;
}
