// Runtime findings are silenced as static ones are: NOLINT(snag-<id>) on
// the reported line, a suppressions file (rule:pattern on a function, a
// file or a lock name), and baselines.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: not %snag run -- %t 2>&1 | FileCheck %s --check-prefix=ALL --implicit-check-not="[snag-"
//
// Suppressions: by lock name, by function, by rule with a wildcard.
// RUN: printf '# known\nunlock-not-held:`legacy_lock`\nmissing-join:start_*\n' > %t.supp
// RUN: not %snag run --suppressions %t.supp -- %t 2>&1 | FileCheck %s --check-prefix=SUPP --implicit-check-not="[snag-"
// RUN: printf 'no-such-rule:foo\n' > %t.bad
// RUN: %python %S/Inputs/expect-status.py 125 %snag run --suppressions %t.bad -- %t
// RUN: not %snag run --suppressions %t.bad -- %t 2>&1 | FileCheck %s --check-prefix=BADSUPP
//
// Baselines: today's findings recorded, then only new ones reported; the
// program's own status passes through when nothing new is found.
// RUN: not %snag run --write-baseline %t.baseline -- %t
// RUN: %python %S/Inputs/expect-status.py 0 %snag run --baseline %t.baseline -- %t
// RUN: not %snag run --baseline %t.baseline -- %t new 2>&1 | FileCheck %s --check-prefix=NEW --implicit-check-not="[snag-"
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t legacy_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t other_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t fresh_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) { return arg; }

static void start_worker(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  // ALL: silencing-runtime-findings.c:[[@LINE-1]]:{{[0-9]+}}: warning: {{.*}} [snag-missing-join]
}

int main(int argc, char **argv) {
  pthread_mutex_unlock(&legacy_lock);
  // ALL: silencing-runtime-findings.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `legacy_lock`{{.*}} [snag-unlock-not-held]
  pthread_mutex_unlock(&other_lock); // NOLINT(snag-unlock-not-held)
  pthread_mutex_unlock(&other_lock); // NOLINT(bugprone-something-else)
  // ALL: silencing-runtime-findings.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `other_lock`{{.*}} [snag-unlock-not-held]
  // SUPP: silencing-runtime-findings.c:[[@LINE-2]]:{{[0-9]+}}: warning: thread T0 unlocks `other_lock`{{.*}} [snag-unlock-not-held]
  if (argc > 1 && strcmp(argv[1], "new") == 0)
    pthread_mutex_unlock(&fresh_lock);
  // NEW: silencing-runtime-findings.c:[[@LINE-1]]:{{[0-9]+}}: warning: thread T0 unlocks `fresh_lock`{{.*}} [snag-unlock-not-held]
  start_worker();
  usleep(50000);
  return 0;
}
// BADSUPP: snag run: error: {{.*}}.bad:1: unknown rule 'no-such-rule'
