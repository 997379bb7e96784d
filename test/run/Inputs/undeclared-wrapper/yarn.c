/* Lock wrappers in the style of pigz's yarn.c, declared nowhere: snag finds
   them by reading their definitions. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  pthread_mutex_t mutex;
  long value;
} lock;

static void fail(int err, const char *file, long line) {
  fprintf(stderr, "%s:%ld: error %d\n", file, line, err);
  exit(1);
}

/* Wrappers: one lock call on the parameter, and failure handling. */
void possess(lock *bolt) {
  int ret;

  if ((ret = pthread_mutex_lock(&(bolt->mutex))) != 0)
    fail(ret, __FILE__, __LINE__);
}

void release(lock *bolt) {
  int ret;

  if ((ret = pthread_mutex_unlock(&(bolt->mutex))) != 0)
    fail(ret, __FILE__, __LINE__);
}

/* Look-alikes that do real work besides the lock call. */
void twist_by(lock *bolt, long val) {
  int ret;

  bolt->value += val;
  if ((ret = pthread_mutex_unlock(&(bolt->mutex))) != 0)
    fail(ret, __FILE__, __LINE__);
}

static long releases;
static void count_release(void) { releases++; }

void release_counted(lock *bolt) {
  count_release();
  pthread_mutex_unlock(&bolt->mutex);
}
