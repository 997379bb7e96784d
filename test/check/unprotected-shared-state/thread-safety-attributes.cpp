// unprotected-shared-state on code annotated for Clang's -Wthread-safety:
// capability classes, acquire/release methods (old and new spellings), a
// scoped capability as the guard, and GUARDED_BY fields, with no
// configuration.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-race.h"

#define CAPABILITY(x) __attribute__((capability(x)))
#define LOCKABLE __attribute__((lockable))
#define SCOPED_CAPABILITY __attribute__((scoped_lockable))
#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define ACQUIRE_SHARED(...) __attribute__((acquire_shared_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define RELEASE_SHARED(...) __attribute__((release_shared_capability(__VA_ARGS__)))
#define EXCLUSIVE_LOCK_FUNCTION(...) __attribute__((exclusive_lock_function(__VA_ARGS__)))
#define UNLOCK_FUNCTION(...) __attribute__((unlock_function(__VA_ARGS__)))

namespace port {
// Declared here, defined in another file: only the attributes say what the
// methods do.
class LOCKABLE Mutex {
public:
  void Lock() EXCLUSIVE_LOCK_FUNCTION();
  void Unlock() UNLOCK_FUNCTION();
  void ReaderLock() ACQUIRE_SHARED();
  void ReaderUnlock() RELEASE_SHARED();
};
} // namespace port

class SCOPED_CAPABILITY MutexLock {
public:
  explicit MutexLock(port::Mutex *mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() { mu_->Unlock(); }

private:
  port::Mutex *const mu_;
};

class Table {
public:
  void ok_put() {
    MutexLock l(&mu_);
    count_++;
  }
  long ok_get() {
    mu_.Lock();
    long c = count_;
    mu_.Unlock();
    return c;
  }
  long ok_peek_under_reader_lock() {
    mu_.ReaderLock();
    long c = count_;
    mu_.ReaderUnlock();
    return c;
  }
  void bad_sloppy() {
    count_++;
    // CHECK: :[[@LINE-1]]:5: warning: `count_` is declared GUARDED_BY(mu_) but written here without it{{.*}}[snag-unprotected-shared-state]
  }

private:
  port::Mutex mu_;
  long count_ GUARDED_BY(mu_) = 0;
};

// Free functions that name the lock they take.
port::Mutex registry_mu;
long registry_size;
void enter_registry() ACQUIRE(registry_mu);
void leave_registry() RELEASE(registry_mu);
void ok_add_to_registry() {
  enter_registry();
  registry_size++;
  leave_registry();
}

int main() {
  Table t;
  std::thread a([&] { t.ok_put(); t.ok_get(); t.ok_peek_under_reader_lock(); });
  std::thread b([&] { t.ok_put(); });
  a.join();
  b.join();
  std::thread c([&] { t.ok_put(); });
  std::thread d([&] { t.bad_sloppy(); });
  c.join();
  d.join();
  std::thread e(ok_add_to_registry), f(ok_add_to_registry);
  e.join();
  f.join();
}
