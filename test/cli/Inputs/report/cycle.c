/* The source of run-cycle.sarif, a snag run log written on another machine
   (its %SRCROOT% is file:///home/ci/src/). */
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

static void *one(void *p) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b); /* T1 takes b holding a */
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  return p;
}

static void *two(void *p) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a); /* T2 takes a holding b */
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return p;
}
