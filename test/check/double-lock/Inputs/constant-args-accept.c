// The lock taken again through conns.c.
#include <pthread.h>

pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
void do_accept_conns(int on);
void do_accept_conns_again(int on);

void accept_conns(int on) {
  pthread_mutex_lock(&conn_lock);
  do_accept_conns(on);
  pthread_mutex_unlock(&conn_lock);
}

void accept_conns_again(int on) {
  pthread_mutex_lock(&conn_lock);
  do_accept_conns_again(on);
  pthread_mutex_unlock(&conn_lock);
}
