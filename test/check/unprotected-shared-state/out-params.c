// unprotected-shared-state: a callee that fills its caller's local through a
// pointer or reference writes memory only that caller can see, even when
// callers on several threads call it. A pointer into shared memory is still
// shared.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-sync.h"

struct io {
  long offset;
  int page;
};
static void fill_io(struct io *out, long where) {
  out->offset = where;
  out->page = 1;
}
static void peek(long *size) { *size = 42; }

static long shared_size;

static void *ok_worker_fills_its_own_locals(void *arg) {
  (void)arg;
  struct io io;
  long size;
  fill_io(&io, 7);
  peek(&size);
  return (void *)(io.offset + size);
}

static void *bad_worker_fills_a_global(void *arg) {
  (void)arg;
  peek(&shared_size);
  return 0;
}

int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], 0, ok_worker_fills_its_own_locals, 0);
  for (int i = 2; i < 4; i++)
    pthread_create(&t[i], 0, bad_worker_fills_a_global, 0);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], 0);
  return 0;
}
// CHECK: :18:32: warning: `*size` is written by threads that may run at once{{.*}}[snag-unprotected-shared-state]
