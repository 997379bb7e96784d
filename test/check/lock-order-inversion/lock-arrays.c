// lock-order-inversion inside one array of locks: a thread that holds one
// element and takes another by an index in no fixed order to the first
// (the dining philosophers; a transfer between two accounts of a table)
// can close a cycle with other threads running it with other indices.
// Look-alikes: indices put in order first (min/max, a swap, the last
// philosopher reversed), one thread only, constant indices, a loop taking
// every element in index order.
// RUN: not %snag check --no-cache --format text %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="warning:"

#include <pthread.h>
#include <stdint.h>

#define N 5
static pthread_mutex_t forks[N];
static int meals[N];

static void *philosopher(void *arg) {
  long i = (long)arg;
  pthread_mutex_lock(&forks[i]);
  pthread_mutex_lock(&forks[(i + 1) % N]);
  // CHECK: :[[@LINE-1]]:3: warning: `forks[(i + 1) % N]` is taken while holding `forks[i]` in `philosopher`, another element of the same array of locks{{.*}} [snag-lock-order-inversion]
  // CHECK: :[[@LINE-3]]:3: note: `philosopher` holds `forks[i]` here
  meals[i]++;
  pthread_mutex_unlock(&forks[(i + 1) % N]);
  pthread_mutex_unlock(&forks[i]);
  return 0;
}

// The last philosopher takes his forks the other way round: no cycle.
static pthread_mutex_t ordered_forks[N];

static void *polite_philosopher(void *arg) {
  long i = (long)arg;
  long first = i, second = (i + 1) % N;
  if (i == N - 1) {
    first = 0;
    second = i;
  }
  pthread_mutex_lock(&ordered_forks[first]);
  pthread_mutex_lock(&ordered_forks[second]);
  pthread_mutex_unlock(&ordered_forks[second]);
  pthread_mutex_unlock(&ordered_forks[first]);
  return 0;
}

// Accounts: a transfer takes both accounts' locks.
static pthread_mutex_t account_lock[16];
static long balance[16];

static void transfer(int from, int to, long amount) {
  pthread_mutex_lock(&account_lock[from]);
  pthread_mutex_lock(&account_lock[to]);
  // CHECK: :[[@LINE-1]]:3: warning: `account_lock[to]` is taken while holding `account_lock[from]` in `transfer`{{.*}} [snag-lock-order-inversion]
  balance[from] -= amount;
  balance[to] += amount;
  pthread_mutex_unlock(&account_lock[to]);
  pthread_mutex_unlock(&account_lock[from]);
}

static long lower(long a, long b) { return a < b ? a : b; }
static long upper(long a, long b) { return a < b ? b : a; }

static void transfer_by_min(int from, int to, long amount) {
  pthread_mutex_lock(&account_lock[lower(from, to)]);
  pthread_mutex_lock(&account_lock[upper(from, to)]);
  balance[from] -= amount;
  balance[to] += amount;
  pthread_mutex_unlock(&account_lock[upper(from, to)]);
  pthread_mutex_unlock(&account_lock[lower(from, to)]);
}

static void transfer_swapped(int from, int to, long amount) {
  int a = from, b = to;
  if (a > b) {
    int t = a;
    a = b;
    b = t;
  }
  pthread_mutex_lock(&account_lock[a]);
  pthread_mutex_lock(&account_lock[b]);
  balance[from] -= amount;
  balance[to] += amount;
  pthread_mutex_unlock(&account_lock[b]);
  pthread_mutex_unlock(&account_lock[a]);
}

static void *teller(void *arg) {
  long k = (long)arg;
  transfer((int)k, (int)(k + 1) % 16, 10);
  transfer_by_min((int)k, (int)(k + 3) % 16, 5);
  transfer_swapped((int)k, (int)(k + 5) % 16, 1);
  return 0;
}

// One thread only, and a loop taking every element in index order.
static pthread_mutex_t stripes[8];
static pthread_mutex_t pair[2];

static void *auditor(void *arg) {
  long i = (long)arg;
  pthread_mutex_lock(&stripes[i]);
  pthread_mutex_lock(&stripes[(i + 1) % 8]);
  pthread_mutex_unlock(&stripes[(i + 1) % 8]);
  pthread_mutex_unlock(&stripes[i]);
  for (int j = 0; j < 8; j++)
    pthread_mutex_lock(&stripes[j]);
  for (int j = 7; j >= 0; j--)
    pthread_mutex_unlock(&stripes[j]);
  pthread_mutex_lock(&pair[0]);
  pthread_mutex_lock(&pair[1]);
  pthread_mutex_unlock(&pair[1]);
  pthread_mutex_unlock(&pair[0]);
  return 0;
}

int main(void) {
  pthread_t t[N], tellers[4], a;
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, philosopher, (void *)i);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);
  for (long i = 0; i < N; i++)
    pthread_create(&t[i], 0, polite_philosopher, (void *)i);
  for (int i = 0; i < N; i++)
    pthread_join(t[i], 0);
  for (long k = 0; k < 4; k++)
    pthread_create(&tellers[k], 0, teller, (void *)k);
  for (int k = 0; k < 4; k++)
    pthread_join(tellers[k], 0);
  pthread_create(&a, 0, auditor, (void *)3);
  pthread_join(a, 0);
  return 0;
}
