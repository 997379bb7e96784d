// unprotected-shared-state on library classes: no thread start in sight, but
// a class that guards fields with its own mutex is meant to be called from
// several threads at once; an access of such a field without the mutex, in
// another public method, races with the guarded write.
// RUN: not %snag check --no-cache --format text %s -- -I%S/../Inputs 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not="[snag-unprotected-shared-state]"

#include "mock-race.h"

#define CAPABILITY(x) __attribute__((capability(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define EXCLUSIVE_LOCKS_REQUIRED(...) __attribute__((exclusive_locks_required(__VA_ARGS__)))
#define ASSERT_EXCLUSIVE_LOCK(...) __attribute__((assert_exclusive_lock(__VA_ARGS__)))

//===----------------------------------------------------------------------===//
// Races
//===----------------------------------------------------------------------===//

// The thread-safe cache: size() reads the count put() keeps under mu_.
class BadCache {
public:
  void put(int k, int v) {
    std::lock_guard<std::mutex> g(mu_);
    map_[k] = v;
    size_++;
  }
  int size() const { return size_; }
  // CHECK: :[[@LINE-1]]:29: warning: `size_` is read here without a lock, but `BadCache::put` writes it under `mu_`: `BadCache` locks for its callers, so its methods may run on several threads at once, and one thread can read `size_` while another writes it; the read sees a stale or torn value [snag-unprotected-shared-state]
  // CHECK-NEXT: {{^}}  int size() const
  // CHECK: :[[@LINE-5]]:5: note: conflicting write of `size_` in `BadCache::put`
  int get(int k) {
    std::lock_guard<std::mutex> g(mu_);
    return map_[k];
  }

private:
  mutable std::mutex mu_;
  std::map<int, int> map_;
  int size_ = 0;
};

// The counter: reset() writes without the lock that inc() takes.
class BadCounter {
public:
  void inc() {
    std::lock_guard<std::mutex> g(mu_);
    ++n_;
  }
  void reset() { n_ = 0; }
  // CHECK: :[[@LINE-1]]:18: warning: `n_` is written here without a lock, but `BadCounter::inc` writes it under `mu_`: `BadCounter` locks for its callers, so its methods may run on several threads at once, and two threads can write `n_` at once; one update is lost [snag-unprotected-shared-state]
  // CHECK: :[[@LINE-4]]:7: note: conflicting write of `n_` in `BadCounter::inc`
  long value() {
    std::lock_guard<std::mutex> g(mu_);
    return n_;
  }

private:
  std::mutex mu_;
  long n_ = 0;
};

// The queue: a size check reads the container push() fills under the lock.
class BadQueue {
public:
  void push(int v) {
    std::unique_lock<std::mutex> g(mu_);
    items_.push_back(v);
  }
  bool has_items() const { return items_.size() != 0; }
  // CHECK: :[[@LINE-1]]:42: warning: `items_` is read here without a lock, but `BadQueue::push` writes it under `mu_`{{.*}}[snag-unprotected-shared-state]
  // CHECK: :[[@LINE-4]]:12: note: conflicting write of `items_` in `BadQueue::push`

private:
  mutable std::mutex mu_;
  std::vector<int> items_;
};

// A private helper reached from a public method that does not lock.
class BadHelper {
public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    bump(v);
  }
  void add_fast(int v) { bump(v); }
  int total() {
    std::lock_guard<std::mutex> g(mu_);
    return total_;
  }

private:
  void bump(int v) { total_ += v; }
  // CHECK: :[[@LINE-1]]:22: warning: `total_` is written here without a lock (called from `BadHelper::add_fast`), but `BadHelper::bump` (called from `BadHelper::add`) writes it under `mu_`{{.*}}[snag-unprotected-shared-state]
  // CHECK: :[[@LINE-2]]:22: note: conflicting write of `total_` in `BadHelper::bump` (called from `BadHelper::add_fast`)
  // CHECK: :[[@LINE-3]]:22: note: written under `mu_` in `BadHelper::bump` (called from `BadHelper::add`)
  std::mutex mu_;
  int total_ = 0;
};

//===----------------------------------------------------------------------===//
// Look-alikes that are no race
//===----------------------------------------------------------------------===//

// A class that never locks says nothing about threads.
class OkPlain {
public:
  void set(int v) { v_ = v; }
  int get() const { return v_; }

private:
  int v_ = 0;
};

// Read-only after construction: const getters need no lock.
class OkConfigured {
public:
  explicit OkConfigured(int limit) : limit_(limit) { name_ = 1; }
  void put(int k) {
    std::lock_guard<std::mutex> g(mu_);
    seen_[k] = limit_;
  }
  int limit() const { return limit_; }
  int name() const { return name_; }

private:
  std::mutex mu_;
  std::map<int, int> seen_;
  int limit_;
  int name_;
};

// An atomic counter beside the locked map.
class OkAtomicHits {
public:
  void put(int k) {
    std::lock_guard<std::mutex> g(mu_);
    map_[k] = k;
  }
  void hit() { hits_++; }
  int hits() const { return hits_.load(); }

private:
  std::mutex mu_;
  std::map<int, int> map_;
  std::atomic<int> hits_;
};

// Helpers whose callers hold the lock by contract.
class OkRequires {
public:
  void put(int v) {
    std::lock_guard<std::mutex> g(mu_);
    size_ += v;
  }
  void shrink_locked() REQUIRES(mu_) { size_--; }
  void grow_locked() EXCLUSIVE_LOCKS_REQUIRED(mu_) { size_++; }
  int size_locked() const REQUIRES(mu_) { return size_; }

private:
  mutable std::mutex mu_;
  int size_ = 0;
};

namespace port {
class CAPABILITY("mutex") Mutex {
public:
  void Lock() ACQUIRE();
  void Unlock() RELEASE();
  void AssertHeld() ASSERT_EXCLUSIVE_LOCK();
};
// Without an attribute: the name says what it does (RocksDB's).
class CAPABILITY("mutex") PlainMutex {
public:
  void Lock() ACQUIRE();
  void Unlock() RELEASE();
  void AssertHeld();
};
} // namespace port

class OkAssertHeld {
public:
  void Add(int v) {
    mu_.Lock();
    total_ += v;
    mu_.Unlock();
  }
  void ClearLocked() {
    mu_.AssertHeld();
    total_ = 0;
  }

private:
  port::Mutex mu_;
  int total_ = 0;
};

class OkAssertHeldByName {
public:
  void Add(int v) {
    mutex_.Lock();
    total_ += v;
    mutex_.Unlock();
  }
  int TotalLocked() {
    mutex_.AssertHeld();
    return total_;
  }

private:
  port::PlainMutex mutex_;
  int total_ = 0;
};

// A private helper only ever called with the lock held.
class OkHelperUnderLock {
public:
  void put(int v) {
    std::lock_guard<std::mutex> g(mu_);
    grow(v);
  }
  int capacity() {
    std::lock_guard<std::mutex> g(mu_);
    return cap_;
  }

private:
  void grow(int v) { cap_ += v; }
  std::mutex mu_;
  int cap_ = 1;
};

// Each field guarded by its own mutex, always the same one.
class OkTwoMutexes {
public:
  void put() {
    std::lock_guard<std::mutex> g(mu_);
    size_++;
  }
  void hit() {
    std::lock_guard<std::mutex> g(stats_mu_);
    hits_++;
  }
  int hits() {
    std::lock_guard<std::mutex> g(stats_mu_);
    return hits_;
  }
  int size() {
    std::lock_guard<std::mutex> g(mu_);
    return size_;
  }

private:
  std::mutex mu_, stats_mu_;
  int size_ = 0;
  int hits_ = 0;
};

// A getter that takes the lock too.
class OkLockedGetter {
public:
  void put(int k, int v) {
    std::lock_guard<std::mutex> g(mu_);
    map_[k] = v;
    size_++;
  }
  int size() const {
    std::lock_guard<std::mutex> g(mu_);
    return size_;
  }

private:
  mutable std::mutex mu_;
  std::map<int, int> map_;
  int size_ = 0;
};

// Set up by the constructor through a private helper, guarded afterwards.
class OkInitHelper {
public:
  OkInitHelper() { init(); }
  ~OkInitHelper() { size_ = -1; }
  void put() {
    std::lock_guard<std::mutex> g(mu_);
    size_++;
  }
  int size() {
    std::lock_guard<std::mutex> g(mu_);
    return size_;
  }

private:
  void init() { size_ = 0; }
  std::mutex mu_;
  int size_;
};

// The lock released around slow work and taken again (leveldb's
// DBImpl::Write logs with mutex_ released): the method chose to run that
// part without the lock, and a protocol (one writer at a time) keeps it
// safe.
class OkUnlockWindow {
public:
  int write(int v) {
    std::unique_lock<std::mutex> lk(mu_);
    make_room();
    lk.unlock();
    int before = log_size_;
    lk.lock();
    log_size_ = before + v;
    return before;
  }

private:
  void make_room() { log_size_ = 0; }
  std::mutex mu_;
  int log_size_ = 0;
};

// Released and never taken again: the write after it is a race.
class BadUnlockedTail {
public:
  void add(int v) {
    std::unique_lock<std::mutex> lk(mu_);
    count_ += v;
    lk.unlock();
    count_ -= 1;
    // CHECK: :[[@LINE-1]]:5: warning: `count_` is written here without a lock, but `BadUnlockedTail::add` writes it under `mu_`{{.*}}[snag-unprotected-shared-state]
    // CHECK: :[[@LINE-4]]:5: note: conflicting write of `count_` in `BadUnlockedTail::add`
  }

private:
  std::mutex mu_;
  int count_ = 0;
};

// A guard class of the user's that snag cannot read as one (RocksDB's
// InstrumentedMutexLock over a Lock() defined in another file; here one
// whose constructor snag does not follow): what such a method holds is
// unknown, so it says nothing, though another method locks by hand.
class OpaqueLock {
public:
  explicit OpaqueLock(std::mutex *m);
  ~OpaqueLock();
};
class OkUserGuard {
public:
  void add(int v) {
    OpaqueLock l(&mu_);
    n_ += v;
  }
  void cancel_all() {
    OpaqueLock l(&mu_);
    n_ = 0;
  }
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    n_ = v;
  }

private:
  std::mutex mu_;
  int n_ = 0;
};

// A static member is not the object's own state: only the program's threads
// decide about it.
class OkStaticCount {
public:
  void put() {
    std::lock_guard<std::mutex> g(mu_);
    live_++;
    size_++;
  }
  int live() const { return live_; }

private:
  mutable std::mutex mu_;
  static int live_;
  int size_ = 0;
};
