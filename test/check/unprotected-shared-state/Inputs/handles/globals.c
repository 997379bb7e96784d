// pthread handles kept in globals, started by one function and joined by
// another: a maintenance thread, and a pool of workers in an array of
// structs. Main's writes after the stop function are not races; a thread
// started again after the stop is running again.
#include <pthread.h>

static pthread_t maintenance_tid;
static long maint_during, maint_after, maint_again;

static void *maintenance(void *arg) {
  maint_during++;
  maint_after++;
  maint_again++;
  return 0;
}

static void start_maintenance(void) {
  pthread_create(&maintenance_tid, 0, maintenance, 0);
}

static void stop_maintenance(void) { pthread_join(maintenance_tid, 0); }

struct worker {
  pthread_t tid;
  int id;
};
static struct worker workers[4];
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long work_during, work_after;

static void *work(void *arg) {
  pthread_mutex_lock(&stats_lock);
  work_during++;
  work_after++;
  pthread_mutex_unlock(&stats_lock);
  return 0;
}

static void start_workers(void) {
  for (int i = 0; i < 4; i++)
    pthread_create(&workers[i].tid, 0, work, &workers[i]);
}

static void stop_workers(void) {
  for (int i = 0; i < 4; i++)
    pthread_join(workers[i].tid, 0);
}

static pthread_t other_tid;
static long other_during;

static void *other(void *arg) {
  other_during++;
  return 0;
}

int main(void) {
  start_maintenance();
  pthread_create(&other_tid, 0, other, 0);
  maint_during = 1;
  stop_maintenance();
  maint_after = 1;
  other_during = 1;        // stop_maintenance() does not join other_tid
  start_maintenance();
  maint_again = 1;         // running again
  stop_maintenance();
  start_workers();
  work_during = 1;
  stop_workers();
  work_after = 1;
  pthread_join(other_tid, 0);
  return 0;
}
