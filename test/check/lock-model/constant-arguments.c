// A call with a constant argument does what the paths it selects do: a
// switch on the parameter goes to its case and falls through as the code
// does; an if, || or && the constant decides takes one side. A value
// known only at run time, or a parameter the body changes, selects nothing.
// RUN: env SNAG_DUMP=locks %snag check --no-cache %s > %t.out || true
// RUN: FileCheck %s --implicit-check-not=acquire --implicit-check-not=release < %t.out
#include <pthread.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
int busy;
enum mode { BOTH, ONE, NONE };

void take(enum mode m) {
  switch (m) {
  case BOTH:
    pthread_mutex_lock(&a);
  case ONE:
    pthread_mutex_lock(&b);
    break;
  default:
    break;
  }
}
// CHECK-LABEL: function take
// CHECK: acquire a
// CHECK: acquire b

void take_unless(int fd, int quiet) {
  if (fd == -42 || busy)
    return;
  if (quiet && fd > 0)
    pthread_mutex_lock(&a);
}
// CHECK-LABEL: function take_unless
// CHECK: acquire a

void take_changed(int on) {
  on = on || busy;
  if (on)
    pthread_mutex_lock(&a);
}
// CHECK-LABEL: function take_changed
// CHECK: acquire a

// CHECK-LABEL: function callers
void callers(enum mode m, int fd) {
  take(BOTH);
  // CHECK-NEXT: [[@LINE-1]]: acquire a must={} may={}
  // CHECK-NEXT: [[@LINE-2]]: acquire b must={a} may={a}
  take(ONE);
  // CHECK-NEXT: [[@LINE-1]]: acquire b must={a,b} may={a,b}
  take(NONE);
  take(m);
  take_unless(-42, 1);
  take_unless(fd, 1);
  take_unless(3, 0);
  take_changed(1);
}
