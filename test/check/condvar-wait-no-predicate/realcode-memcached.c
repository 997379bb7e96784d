// memcached's IO thread: the `if` around the wait is checked again on every
// round of the endless loop. Its maintenance thread waits once per round
// with no check at all: a spurious wakeup only runs one more round, but
// snag cannot know that.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

struct io_thread {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  void *queue;
};
void run(void *);

void *ok_io_thread(void *arg) {
  struct io_thread *me = (struct io_thread *)arg;
  while (1) {
    pthread_mutex_lock(&me->mutex);
    if (me->queue == 0)
      pthread_cond_wait(&me->cond, &me->mutex);
    void *batch = me->queue;
    me->queue = 0;
    pthread_mutex_unlock(&me->mutex);
    run(batch);
  }
  return 0;
}

void *bad_maintenance_thread(void *arg) {
  struct io_thread *me = (struct io_thread *)arg;
  pthread_mutex_lock(&me->mutex);
  while (1) {
    pthread_cond_wait(&me->cond, &me->mutex);
    // CHECK: :[[@LINE-1]]:5: warning: {{.*}} [snag-condvar-wait-no-predicate]
    run(me->queue);
  }
  return 0;
}
