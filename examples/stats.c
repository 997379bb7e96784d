/* Statistics gathered by POSIX threads. The hits counter is updated under
 * the lock by one thread and without it by the other; the reporter thread is
 * never joined nor detached.
 *
 * What snag finds here (test/cli/examples.test holds this list to the truth):
 *   snag check  line 29  unprotected-shared-state  count_fast() writes hits without stats_lock
 *   snag check  line 43  missing-join              reporter r is never joined nor detached
 *   snag run    line 43  missing-join              r is still unjoined when main returns
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long hits;

static void *count_hits(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&stats_lock);
    hits++;
    pthread_mutex_unlock(&stats_lock);
  }
  return NULL;
}

static void *count_fast(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i)
    hits++; /* forgot the lock */
  return NULL;
}

static void *reporter(void *arg) {
  (void)arg;
  puts("reporter started");
  return NULL;
}

int main(void) {
  pthread_t a, b, r;
  pthread_create(&a, NULL, count_hits, NULL);
  pthread_create(&b, NULL, count_fast, NULL);
  pthread_create(&r, NULL, reporter, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("hits %ld\n", hits);
  return 0;
}
