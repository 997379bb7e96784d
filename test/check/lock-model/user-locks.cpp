// The user's own lock functions from .snag.yaml join the lock API table.
// RUN: rm -rf %t && mkdir -p %t
// RUN: printf 'locks:\n  - {function: possess, action: acquire, lock-arg: 0}\n  - {function: release, action: release, lock-arg: 0}\n  - {function: "SpinLock::grab", action: acquire, lock-arg: 0}\n  - {function: "SpinLock::drop", action: release, lock-arg: 0}\n' > %t/.snag.yaml
// RUN: cp %s %t/user-locks.cpp
// RUN: env SNAG_DUMP=locks %snag check --no-cache %t/user-locks.cpp > %t.out || true
// RUN: FileCheck %s < %t.out

struct Lock { int word; };
void possess(Lock *l);
void release(Lock *l);
struct SpinLock {
  void grab();
  void drop();
};

Lock big;
SpinLock spin;
int g;

// CHECK-LABEL: function ok_user_lock
void ok_user_lock() {
  possess(&big);
  // CHECK-NEXT: [[@LINE-1]]: acquire big must={} may={}
  g++;
  release(&big);
  // CHECK-NEXT: [[@LINE-1]]: release big must={big} may={big}
}

// CHECK-LABEL: function ok_user_lock_method
void ok_user_lock_method() {
  spin.grab();
  // CHECK-NEXT: [[@LINE-1]]: acquire spin must={} may={}
  spin.drop();
  // CHECK-NEXT: [[@LINE-1]]: release spin must={spin} may={spin}
}
