// Two instances of one class: transfer(a, b) and transfer(b, a) deadlock.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 | FileCheck %s --implicit-check-not="warning:"
#include "mock-sync.h"

struct Account {
  std::mutex m;
  long balance = 0;
};

void bad_transfer(Account &from, Account &to, long amount) {
  std::lock_guard<std::mutex> g1(from.m);
  std::lock_guard<std::mutex> g2(to.m);
  // CHECK: :[[@LINE-1]]:31: warning: {{.*}}`Account::m`{{.*}} [snag-lock-order-inversion]
  from.balance -= amount;
  to.balance += amount;
}

void ok_transfer_scoped(Account &from, Account &to, long amount) {
  std::scoped_lock both(from.m, to.m);
  from.balance -= amount;
  to.balance += amount;
}

// One field of two different classes: a consistent parent -> child order.
struct Child {
  std::mutex m;
  int v;
};
struct Parent {
  std::mutex m;
  Child child;
  void ok_parent_then_child() {
    std::lock_guard<std::mutex> g1(m);
    std::lock_guard<std::mutex> g2(child.m);
    child.v++;
  }
};
