// Work handed to threads through another file's starters.
#include <pthread.h>
#include "pool.h"

static long compressed, written, checked, total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;

static void compress_thread(void *dummy) {
  compressed++;
  pthread_mutex_lock(&total_lock);
  total++;
  pthread_mutex_unlock(&total_lock);
}

static void *write_thread(void *dummy) {
  written++;
  pthread_mutex_lock(&total_lock);
  total++;
  pthread_mutex_unlock(&total_lock);
  return 0;
}

static void check_now(void *dummy) { checked++; }

int main(void) {
  launch(compress_thread, 0);
  launch(compress_thread, 0);
  spawn(write_thread, 0);
  written = 0;
  run_now(check_now, 0);
  run_now(check_now, 0);
  checked = 0;
  return 0;
}
