// The user's own lock functions from .snag.yaml (pigz's possess/release).
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/t.cpp && cp %S/../Inputs/mock-sync.h %t/
// RUN: printf 'locks:\n  - {function: possess, action: acquire, lock-arg: 0}\n  - {function: release, action: release, lock-arg: 0}\n' > %t/.snag.yaml
// RUN: not %snag check --no-cache --format text %t/t.cpp -- -I%t 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

struct lock_t { pthread_mutex_t mutex; };
void possess(lock_t *);
void release(lock_t *);
lock_t *queue_lock;
int pending;

int bad_forgets_release(int v) {
  possess(queue_lock);
  // CHECK: :[[@LINE-1]]:3: warning: `queue_lock` is locked here{{.*}} [snag-lock-not-released]
  if (v)
    return -1;
  pending = v;
  release(queue_lock);
  return 0;
}

int ok_releases(int v) {
  possess(queue_lock);
  pending = v;
  release(queue_lock);
  return 0;
}
