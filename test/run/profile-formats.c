// snag run --profile in JSON and HTML, and the option combinations it
// refuses.
// RUN: %clang -g -O1 -pthread %s -o %t
// RUN: %snag run --profile --format json -o %t.json -- %t
// RUN: %python %S/Inputs/profile-json.py %t.json | FileCheck %s --check-prefix=JSON
// JSON: locks: 2
// JSON-NEXT: lock `contended`  acquisitions 4 contended {{[12]}} waitTotalNs>0 True waitMaxNs>0 True holdTotalNs>0 True holdMaxNs>0 True
// JSON-NEXT: lock `uncontended`  acquisitions 3 contended 0 waitTotalNs>0 False waitMaxNs>0 False holdTotalNs>0 True holdMaxNs>0 True
// JSON-NEXT: site profile-formats.c:[[#@LINE+29]] function worker lock `contended` waits {{[12]}}
// JSON-NEXT: otherLocks {'acquisitions': 0, 'locks': 0}
//
// RUN: %snag run --profile --format html -o %t.html -- %t
// RUN: FileCheck %s --check-prefix=HTML < %t.html
// HTML: <section id="profile">
// HTML: <table class="profile card" id="profile-locks">
// HTML: <tr><td class="name"><code>contended</code></td><td>4</td>
// HTML: <tr><td class="name"><code>uncontended</code></td><td>3</td><td>0</td>
// HTML: <table class="profile card" id="profile-sites">
//
// Bad combinations: an error before the program runs (exit 125).
// RUN: not %snag run --profile --format sarif -o %t.sarif -- %t 2>&1 | FileCheck %s --check-prefix=SARIF
// SARIF: --profile needs --format text, json or html
// RUN: %exitcode %snag run --profile --format sarif -o %t.sarif -- %t 2>&1 | FileCheck %s --check-prefix=STATUS
// STATUS: exit 125
// RUN: not %snag run --profile --option profile=0 -- %t 2>&1 | FileCheck %s --check-prefix=CONTRADICT
// CONTRADICT: --profile and 'profile=0' contradict each other
// RUN: env SNAG_OPTIONS=profile=0 not %snag run --profile -- %t 2>&1 | FileCheck %s --check-prefix=CONTRADICT
// RUN: not %snag run --profile=banana -- %t 2>&1 | FileCheck %s --check-prefix=VALUE
// VALUE: --profile{{.*}}banana
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t contended = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t uncontended = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  usleep(20 * 1000); // main holds it by then
  pthread_mutex_lock(&contended);
  pthread_mutex_unlock(&contended);
  return arg;
}

int main(void) {
  pthread_t t[2];
  pthread_mutex_lock(&contended);
  for (int i = 0; i < 2; ++i)
    pthread_create(&t[i], 0, worker, 0);
  usleep(200 * 1000);
  pthread_mutex_unlock(&contended);
  for (int i = 0; i < 2; ++i)
    pthread_join(t[i], 0);
  pthread_mutex_lock(&contended);
  pthread_mutex_unlock(&contended);
  for (int i = 0; i < 3; ++i) {
    pthread_mutex_lock(&uncontended);
    usleep(1000);
    pthread_mutex_unlock(&uncontended);
  }
  return 0;
}
