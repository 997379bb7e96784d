// unprotected-shared-state and buffers handed to a shared helper through
// pointer fields of different kinds of objects (a logger's buffer, a
// crawler's buffer), each used under its own object's lock: the helper's
// accesses are told apart by what holds the pointer, so they do not race.
// Look-alike: the same logger's buffer under two different locks.
// RUN: %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=APART --implicit-check-not="[snag-unprotected-shared-state]"
// APART: snag: 0 findings in 1 file
// RUN: not %snag check --no-cache --format text %s -- -DWITH_DRAIN 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include <pthread.h>
#include <stdlib.h>

typedef struct {
  int start, end;
} buf_t;

static void buf_push(buf_t *b, int n) {
  b->end += n;
  // CHECK: :[[@LINE-1]]:6: warning: `b->end` is written here under `{{.*}}` and elsewhere under `{{.*}}`, with no lock in common{{.*}}[snag-unprotected-shared-state]
}

// Through a call's result snag cannot name the holder: the buffer is "what
// `buf` of some logger points to", and memory of unknown origin counts as
// shared only where the accessing function takes a lock for it (buf_reset
// takes none), so the two resets below are not reported.
static void buf_reset(buf_t *b) {
  b->start = 0;
}

struct logger {
  pthread_mutex_t mutex;
  buf_t *buf;
};
struct crawler {
  buf_t *buf;
};
static pthread_mutex_t crawler_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t drain_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

struct logger *current_logger(void);
struct crawler *current_crawler(void);

static void *logger_thread(void *arg) {
  struct logger *l = arg;
  pthread_mutex_lock(&l->mutex);
  buf_push(l->buf, 1);
  pthread_mutex_unlock(&l->mutex);
  pthread_mutex_lock(&l->mutex);
  buf_reset(current_logger()->buf);
  pthread_mutex_unlock(&l->mutex);
  return 0;
}

static void *crawler_thread(void *arg) {
  struct crawler *c = arg;
  pthread_mutex_lock(&crawler_lock);
  buf_push(c->buf, 2);
  buf_reset(current_crawler()->buf);
  pthread_mutex_unlock(&crawler_lock);
  return 0;
}

// The logger's own buffer under another lock: a race with logger_thread.
static void *drain_thread(void *arg) {
  struct logger *l = arg;
  pthread_mutex_lock(&drain_lock);
  buf_push(l->buf, -1);
  pthread_mutex_unlock(&drain_lock);
  pthread_mutex_lock(&stats_lock);
  buf_reset(current_logger()->buf);
  pthread_mutex_unlock(&stats_lock);
  return 0;
}

int main(void) {
  struct logger *lg = malloc(sizeof *lg);
  struct crawler *cr = malloc(sizeof *cr);
  pthread_mutex_init(&lg->mutex, 0);
  lg->buf = malloc(sizeof(buf_t));
  cr->buf = malloc(sizeof(buf_t));
  pthread_t a, b, c;
  pthread_create(&a, 0, logger_thread, lg);
  pthread_create(&b, 0, crawler_thread, cr);
#ifdef WITH_DRAIN
  pthread_create(&c, 0, drain_thread, lg);
  pthread_join(c, 0);
#endif
  pthread_join(a, 0);
  pthread_join(b, 0);
  return 0;
}
