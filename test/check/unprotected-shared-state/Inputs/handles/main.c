// Threads of yarn.c, joined through the handle launch() returns, through a
// handle kept in a global and joined by another function, and all at once.
// Each thread writes two counters: main writes the first while the thread
// may run, the second only before it starts or after it is joined.
#include <pthread.h>
#include <stddef.h>
#include "yarn.h"

static long out_during, out_after;

static void write_thread(void *dummy) {
  out_during++;
  out_after++;
}

static void parallel_write(void) {
  thread *writeth;
  out_after = 0;                 // before the launch
  writeth = launch(write_thread, NULL);
  out_during = 1;                // while it runs
  join(writeth);
  out_after = 2;                 // after the join
}

struct globals {
  thread *load_thread;
  int in_which;
} g;

static long in_during, in_after;

static void load_read(void *dummy) {
  in_during++;
  in_after++;
}

static void load(void) {
  if (g.in_which == -1) {
    g.in_which = 1;
    g.load_thread = launch(load_read, NULL);
  }
}

static void load_end(void) {
  if (g.in_which != -1) {
    join(g.load_thread);
    g.in_which = -1;
  }
}

static void process(void) {
  load();
  in_during = 1;                 // while load_read may run
  load_end();
  in_after = 2;                  // joined through g.load_thread
}

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static long pool_during, pool_after;

static void compress_thread(void *dummy) {
  pthread_mutex_lock(&jobs_lock);
  pool_during++;
  pool_after++;
  pthread_mutex_unlock(&jobs_lock);
}

static void finish_jobs(void) {
  join_all();
  pool_after = 0;                // every launched thread is joined
}

static long spare_during, spare_after;

static void spare_thread(void *dummy) {
  spare_during++;
  spare_after++;
}

int main(void) {
  parallel_write();
  process();
  for (int i = 0; i < 4; i++)
    launch(compress_thread, NULL);
  pool_during = 1;               // while the pool runs
  finish_jobs();
  pool_after = 2;
  thread *other = launch(spare_thread, NULL);
  thread *mine = launch(write_thread, NULL);
  join(mine);
  spare_during = 1;              // `other` is not joined yet
  join(other);
  spare_after = 2;
  return 0;
}
