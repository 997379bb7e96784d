/* A lock wrapper in the style of pigz's yarn.c. */
#include <pthread.h>

void possess(pthread_mutex_t *lock) { pthread_mutex_lock(lock); }
void release(pthread_mutex_t *lock) { pthread_mutex_unlock(lock); }
