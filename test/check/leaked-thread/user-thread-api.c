// Threads of a C wrapper of the user's own (libuv style) declared in
// .snag.yaml: one detached by the user's detach function that loops forever
// is leaked; detached ones that can stop, and joined ones, are not.
// RUN: rm -rf %t && mkdir -p %t
// RUN: printf 'threads:\n  - {function: my_thread_create, handle-arg: 0, entry-arg: 1}\n  - {function: my_thread_join, action: join, handle-arg: 0}\n  - {function: my_thread_detach, action: detach, handle-arg: 0}\n' > %t/.snag.yaml
// RUN: cp %s %t/user-thread-api.c
// RUN: not %snag check --no-cache --format text %t/user-thread-api.c -- -I %S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-thread.h"

typedef struct { unsigned long id; } my_thread_t;
int my_thread_create(my_thread_t *tid, void (*entry)(void *), void *arg);
int my_thread_join(my_thread_t *tid);
int my_thread_detach(my_thread_t *tid);

int next_item(void);
void handle(int);
_Atomic int stop_flag;

void forever(void *arg) {
  for (;;)
    handle(next_item());
}

void until_stopped(void *arg) {
  while (!stop_flag)
    handle(next_item());
}

void bad_detached_forever(void) {
  my_thread_t tid;
  my_thread_create(&tid, forever, 0);
  // CHECK: :[[@LINE+2]]:3: warning: this thread is detached and runs `forever`, which loops forever{{.*}} [snag-leaked-thread]
  // CHECK: :[[@LINE-13]]:3: note: this loop in `forever` never ends
  my_thread_detach(&tid);
  // CHECK: :[[@LINE-4]]:3: note: the thread is started here
}

void ok_detached_with_stop_flag(void) {
  my_thread_t tid;
  my_thread_create(&tid, until_stopped, 0);
  my_thread_detach(&tid);
}

void ok_joined_forever_is_missing_join_business(void) {
  my_thread_t tid;
  my_thread_create(&tid, until_stopped, 0);
  my_thread_join(&tid);
}

void ok_not_a_declared_detach(void) {
  // A function with a similar name that the configuration does not declare.
  my_thread_t tid;
  my_thread_create(&tid, until_stopped, 0);
  my_thread_join(&tid);
}
