// Threads that call the mode functions with constants, and with a mode
// only known at run time.
#include "modes.h"

static long table_size, table_moves, hits, misses, resizes;

static void *maintainer(void *arg) {
  maint_lock_take();
  table_size++;
  table_moves++;
  resizes++;
  maint_lock_drop();
  stats_guard(true);
  hits++;
  misses++;
  stats_guard(false);
  return 0;
}

static void *expander(void *arg) {
  enum pause_mode mode = (enum pause_mode)(long)arg;
  pause_threads(PAUSE_ALL);
  table_size *= 2;
  pause_threads(RESUME_ALL);
  pause_threads(PAUSE_WORKERS);
  table_moves = 0;
  pause_threads(RESUME_WORKERS);
  stats_guard(true);
  hits = 0;
  stats_guard(false);
  stats_guard(false);
  misses = 0;
  pause_threads(mode);
  resizes++;
  return 0;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, maintainer, 0);
  pthread_create(&b, 0, expander, (void *)0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return 0;
}
