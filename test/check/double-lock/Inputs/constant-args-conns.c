// What accept_conns calls with conn_lock held: a handler that calls
// accept_conns again unless its argument is -42 (memcached's
// maxconns_handler), called with -42 here and with an fd elsewhere.
#include <pthread.h>

void accept_conns(int on);
void reschedule(void);
int listening;

void conns_handler(int fd) {
  if (fd == -42 || !listening)
    reschedule();
  else
    accept_conns(1);
}

void do_accept_conns(int on) {
  listening = on;
  if (!on)
    conns_handler(-42);
}

void do_accept_conns_again(int on) {
  listening = on;
  conns_handler(on);
}
