// A C thread wrapper of the user's own (libuv style), declared in .snag.yaml
// as a start/join/detach triple: the handle is passed by address, as with
// pthread_create, and the user's join and detach end the thread.
// RUN: rm -rf %t && mkdir -p %t
// RUN: printf 'threads:\n  - {function: my_thread_create, handle-arg: 0, entry-arg: 1}\n  - {function: my_thread_join, action: join, handle-arg: 0}\n  - {function: my_thread_detach, action: detach}\n' > %t/.snag.yaml
// RUN: cp %s %t/user-thread-api.c
// RUN: not %snag check --no-cache --format text %t/user-thread-api.c -- -I %S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-thread.h"

typedef struct { unsigned long id; } my_thread_t;
int my_thread_create(my_thread_t *tid, void (*entry)(void *), void *arg);
int my_thread_join(my_thread_t *tid);
int my_thread_detach(my_thread_t tid);

void work(void *arg);

struct worker {
  my_thread_t tid;
};

void bad_never_joined(void) {
  my_thread_t tid;
  // CHECK: :[[@LINE+1]]:3: warning: thread `tid` is neither joined nor detached{{.*}} [snag-missing-join]
  my_thread_create(&tid, work, 0);
  // CHECK: :[[@LINE+1]]:1: note: `bad_never_joined` ends without joining or detaching `tid`
}

void ok_joined(void) {
  my_thread_t tid;
  my_thread_create(&tid, work, 0);
  my_thread_join(&tid);
}

void ok_joined_through_pointer(void) {
  my_thread_t tid;
  my_thread_t *p = &tid;
  my_thread_create(&tid, work, 0);
  my_thread_join(p);
}

void ok_detached_by_value(void) {
  my_thread_t tid;
  my_thread_create(&tid, work, 0);
  my_thread_detach(tid);
}

void ok_joined_in_loop(void) {
  my_thread_t tids[4];
  for (int i = 0; i < 4; i++)
    my_thread_create(&tids[i], work, 0);
  for (int i = 0; i < 4; i++)
    my_thread_join(&tids[i]);
}

void ok_started_into_field(struct worker *w) {
  my_thread_create(&w->tid, work, w);
}

void ok_joined_in_helper(struct worker *w) {
  my_thread_join(&w->tid);
}

void ok_handle_pointer(my_thread_t *out) {
  my_thread_create(out, work, 0);
}
