// The lock model's held sets, events and exits (SNAG_DUMP=locks prints them).
// Other rules may report on this code: only the dump on stdout is checked.
// RUN: env SNAG_DUMP=locks %snag check --no-cache %s -- -I%S/../Inputs > %t.out || true
// RUN: FileCheck %s < %t.out

#include "mock-sync.h"

namespace std {
template <class T> T &&move(T &t);
}

std::mutex m, m2;
std::recursive_mutex rm;
std::shared_mutex sm;
int g;
void may_throw();

// CHECK-LABEL: function bad_early_return
void bad_early_return(bool c) {
  m.lock();
  // CHECK-NEXT: [[@LINE-1]]: acquire m must={} may={}
  if (c)
    return;
  g++;
  m.unlock();
  // CHECK-NEXT: [[@LINE-1]]: release m must={m} may={m}
  // CHECK-NEXT: exit [[@LINE-4]] must={m} may={m}
  // CHECK-NEXT: exit [[@LINE+1]] must={} may={}
}

// CHECK-LABEL: function ok_guard
void ok_guard() {
  std::lock_guard<std::mutex> lk(m);
  // CHECK-NEXT: [[@LINE-1]]: acquire m guard must={} may={}
  g++;
}
// CHECK-NEXT: [[@LINE-1]]: release m guard implicit must={m} may={m}
// CHECK-NEXT: exit [[@LINE-2]] must={} may={}

// CHECK-LABEL: function ok_unique_lock_released_around_slow_work
void ok_unique_lock_released_around_slow_work() {
  std::unique_lock<std::mutex> lk(m);
  // CHECK-NEXT: [[@LINE-1]]: acquire m guard must={} may={}
  g++;
  lk.unlock();
  // CHECK-NEXT: [[@LINE-1]]: release m guard must={m} may={m}
  may_throw();
  lk.lock();
  // CHECK-NEXT: [[@LINE-1]]: acquire m guard must={} may={}
}
// CHECK-NEXT: [[@LINE-1]]: release m guard implicit must={m} may={m}
// An exception from may_throw() leaves with nothing held.
// CHECK-NEXT: exit [[@LINE-6]] exceptional must={} may={}
// CHECK-NEXT: exit [[@LINE-4]] must={} may={}

// CHECK-LABEL: function ok_deferred_then_moved
void ok_deferred_then_moved() {
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  lk.lock();
  // CHECK-NEXT: [[@LINE-1]]: acquire m guard must={} may={}
  std::unique_lock<std::mutex> lk2(std::move(lk));
  g++;
}
// The moved-to guard releases it once.
// CHECK-NEXT: [[@LINE-2]]: release m guard implicit must={m} may={m}
// CHECK-NEXT: exit

// CHECK-LABEL: function ok_try_lock_branch
void ok_try_lock_branch() {
  if (m.try_lock()) {
    // CHECK-NEXT: [[@LINE-1]]: try-acquire m must={} may={}
    g++;
    m.unlock();
    // CHECK-NEXT: [[@LINE-1]]: release m must={m} may={m}
  }
}
// CHECK-NEXT: exit [[@LINE-1]] must={} may={}

// CHECK-LABEL: function ok_pthread_trylock_failure_returns
void ok_pthread_trylock_failure_returns(pthread_mutex_t *p) {
  if (pthread_mutex_trylock(p) != 0)
    return;
  // CHECK-NEXT: [[@LINE-2]]: try-acquire p must={} may={}
  g++;
  pthread_mutex_unlock(p);
  // CHECK-NEXT: [[@LINE-1]]: release p must={p} may={p}
  // CHECK-NEXT: exit [[@LINE-5]] must={} may={}
}

// CHECK-LABEL: function bad_throw_while_held
void bad_throw_while_held() {
  m.lock();
  may_throw();
  m.unlock();
}
// CHECK: exit [[@LINE-3]] exceptional must={m} may={m}

// CHECK-LABEL: function ok_guard_unwinds
void ok_guard_unwinds() {
  std::lock_guard<std::mutex> lk(m);
  may_throw();
}
// CHECK: exit [[@LINE-2]] exceptional must={} may={}

// CHECK-LABEL: function ok_std_lock_then_adopt
void ok_std_lock_then_adopt() {
  std::lock(m, m2);
  // CHECK-NEXT: [[@LINE-1]]: acquire m must={} may={}
  // CHECK-NEXT: [[@LINE-2]]: acquire m2 must={m} may={m}
  std::lock_guard<std::mutex> a(m, std::adopt_lock);
  std::lock_guard<std::mutex> b(m2, std::adopt_lock);
  g++;
}
// CHECK: [[@LINE-1]]: release m2 guard implicit must={m,m2} may={m,m2}
// CHECK-NEXT: [[@LINE-2]]: release m guard implicit must={m} may={m}

// CHECK-LABEL: function ok_recursive_counts
void ok_recursive_counts() {
  rm.lock();
  rm.lock();
  rm.unlock();
  // CHECK: [[@LINE-1]]: release rm must={rmx2} may={rmx2}
  g++;
  rm.unlock();
  // CHECK-NEXT: [[@LINE-1]]: release rm must={rm} may={rm}
}

// CHECK-LABEL: function ok_shared_reader
void ok_shared_reader() {
  std::shared_lock<std::shared_mutex> r(sm);
  // CHECK-NEXT: [[@LINE-1]]: acquire-shared sm guard must={} may={}
  g++;
}
// CHECK-NEXT: [[@LINE-1]]: release sm guard implicit must={sm(shared)} may={sm(shared)}

// CHECK-LABEL: function ok_held_on_one_path_only
void ok_held_on_one_path_only(bool c) {
  if (c)
    m.lock();
  g++;
  if (c)
    m.unlock();
  // CHECK: [[@LINE-1]]: release m must={} may={m}
}

// CHECK-LABEL: function ok_try_to_lock_guard
void ok_try_to_lock_guard() {
  std::unique_lock<std::mutex> lk(m, std::try_to_lock);
  // CHECK-NEXT: [[@LINE-1]]: try-acquire m guard must={} may={}
  if (!lk)
    return;
  g++;
}
// CHECK-NEXT: [[@LINE-1]]: release m guard implicit must={m} may={m}

// CHECK-LABEL: function ok_release_keeps_it_held
std::mutex *ok_release_keeps_it_held() {
  std::unique_lock<std::mutex> lk(m);
  return lk.release();
  // CHECK: [[@LINE-1]]: disown m guard must={m} may={m}
  // CHECK-NEXT: exit [[@LINE-2]] must={m} may={m}
}

struct Account {
  std::mutex mu;
  long balance;
  // CHECK-LABEL: function Account::deposit
  void deposit(long v) {
    std::scoped_lock both(mu, m2);
    // CHECK-NEXT: [[@LINE-1]]: acquire mu guard must={} may={}
    // CHECK-NEXT: [[@LINE-2]]: acquire m2 guard must={mu} may={mu}
    balance += v;
  }
};

// CHECK-LABEL: function ok_condvar_wait
std::condition_variable cv;
void ok_condvar_wait() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return g > 0; });
  // CHECK: [[@LINE-1]]: wait m guard must={m} may={m}
}
