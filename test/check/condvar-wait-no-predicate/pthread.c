// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
mtx_t c11_lock;
cnd_t c11_cond;
int ready;

struct queue {
  pthread_mutex_t mutex;
  pthread_cond_t nonempty;
  int count;
};

void bad_pthread_wait(void) {
  pthread_mutex_lock(&lock);
  pthread_cond_wait(&cond, &lock);
  // CHECK: :[[@LINE-1]]:3: warning: `&cond` is waited on {{.*}} [snag-condvar-wait-no-predicate]
  pthread_mutex_unlock(&lock);
}

void bad_pthread_timedwait(const struct timespec *deadline) {
  pthread_mutex_lock(&lock);
  if (!ready)
    pthread_cond_timedwait(&cond, &lock, deadline);
  // CHECK: :[[@LINE-1]]:5: warning: {{.*}} [snag-condvar-wait-no-predicate]
  pthread_mutex_unlock(&lock);
}

void bad_c11_wait(void) {
  mtx_lock(&c11_lock);
  cnd_wait(&c11_cond, &c11_lock);
  // CHECK: :[[@LINE-1]]:3: warning: {{.*}} [snag-condvar-wait-no-predicate]
  mtx_unlock(&c11_lock);
}

int bad_queue_take(struct queue *q) {
  pthread_mutex_lock(&q->mutex);
  pthread_cond_wait(&q->nonempty, &q->mutex);
  // CHECK: :[[@LINE-1]]:3: warning: `&q->nonempty` {{.*}} [snag-condvar-wait-no-predicate]
  int n = --q->count;
  pthread_mutex_unlock(&q->mutex);
  return n;
}

void ok_pthread_while(void) {
  pthread_mutex_lock(&lock);
  while (!ready)
    pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
}

int ok_queue_take(struct queue *q) {
  pthread_mutex_lock(&q->mutex);
  while (q->count == 0)
    pthread_cond_wait(&q->nonempty, &q->mutex);
  int n = --q->count;
  pthread_mutex_unlock(&q->mutex);
  return n;
}

void ok_timedwait_loop_with_exit(const struct timespec *deadline) {
  pthread_mutex_lock(&lock);
  for (;;) {
    if (ready)
      break;
    if (pthread_cond_timedwait(&cond, &lock, deadline) != 0)
      break;
  }
  pthread_mutex_unlock(&lock);
}

void ok_c11_while(void) {
  mtx_lock(&c11_lock);
  while (!ready)
    cnd_wait(&c11_cond, &c11_lock);
  mtx_unlock(&c11_lock);
}

// A wrapper such as memcached's or pigz's: the caller loops around it.
void ok_wait_wrapper(pthread_cond_t *c, pthread_mutex_t *m) {
  if (pthread_cond_wait(c, m) != 0)
    ready = -1;
}

void ok_signal_is_not_a_wait(void) {
  pthread_cond_signal(&cond);
  pthread_cond_broadcast(&cond);
  cnd_signal(&c11_cond);
}
