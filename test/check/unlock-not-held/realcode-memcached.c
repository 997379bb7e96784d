// Two unlocks under opposite conditions: every path unlocks once.
// RUN: %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:" --allow-empty
#include "mock-sync.h"

pthread_mutex_t lru_lock;
int needs_lock;
void eval(void);

void ok_unlock_before_or_after(void) {
  pthread_mutex_lock(&lru_lock);
  if (!needs_lock)
    pthread_mutex_unlock(&lru_lock);
  eval();
  if (needs_lock)
    pthread_mutex_unlock(&lru_lock);
}
