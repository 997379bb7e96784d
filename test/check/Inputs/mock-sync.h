// A tiny stand-in for <mutex>, <shared_mutex>, <condition_variable>,
// <thread>, <pthread.h> and <threads.h>, so that lock-discipline tests parse
// fast and do not depend on the installed standard library. Only the names
// and signatures matter: snag reads declarations, it runs nothing.
#ifndef SNAG_TEST_MOCK_SYNC_H
#define SNAG_TEST_MOCK_SYNC_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct { int opaque; } pthread_mutex_t;
typedef struct { int opaque; } pthread_mutexattr_t;
typedef struct { int opaque; } pthread_rwlock_t;
typedef struct { int opaque; } pthread_cond_t;
typedef struct { int opaque; } pthread_condattr_t;
typedef unsigned long pthread_t;
typedef struct { int opaque; } pthread_attr_t;
typedef volatile int pthread_spinlock_t;
struct timespec { long tv_sec; long tv_nsec; };
#define PTHREAD_MUTEX_INITIALIZER {0}
#define PTHREAD_COND_INITIALIZER {0}
#define PTHREAD_RWLOCK_INITIALIZER {0}
#define PTHREAD_MUTEX_RECURSIVE 1

int pthread_mutex_init(pthread_mutex_t *, const pthread_mutexattr_t *);
int pthread_mutex_destroy(pthread_mutex_t *);
int pthread_mutex_lock(pthread_mutex_t *);
int pthread_mutex_trylock(pthread_mutex_t *);
int pthread_mutex_unlock(pthread_mutex_t *);
int pthread_mutexattr_init(pthread_mutexattr_t *);
int pthread_mutexattr_settype(pthread_mutexattr_t *, int);
int pthread_rwlock_rdlock(pthread_rwlock_t *);
int pthread_rwlock_wrlock(pthread_rwlock_t *);
int pthread_rwlock_unlock(pthread_rwlock_t *);
int pthread_spin_lock(pthread_spinlock_t *);
int pthread_spin_unlock(pthread_spinlock_t *);
int pthread_cond_init(pthread_cond_t *, const pthread_condattr_t *);
int pthread_cond_wait(pthread_cond_t *, pthread_mutex_t *);
int pthread_cond_timedwait(pthread_cond_t *, pthread_mutex_t *,
                           const struct timespec *);
int pthread_cond_signal(pthread_cond_t *);
int pthread_cond_broadcast(pthread_cond_t *);
int pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *),
                   void *);
int pthread_join(pthread_t, void **);

typedef struct { int opaque; } mtx_t;
typedef struct { int opaque; } cnd_t;
int mtx_lock(mtx_t *);
int mtx_trylock(mtx_t *);
int mtx_unlock(mtx_t *);
int cnd_wait(cnd_t *, mtx_t *);
int cnd_timedwait(cnd_t *, mtx_t *, const struct timespec *);
int cnd_signal(cnd_t *);

#ifdef __cplusplus
}

namespace std {

struct defer_lock_t {};
struct try_to_lock_t {};
struct adopt_lock_t {};
inline constexpr defer_lock_t defer_lock{};
inline constexpr try_to_lock_t try_to_lock{};
inline constexpr adopt_lock_t adopt_lock{};

class mutex {
public:
  mutex();
  ~mutex();
  void lock();
  bool try_lock();
  void unlock();
};

class recursive_mutex {
public:
  void lock();
  bool try_lock();
  void unlock();
};

class timed_mutex {
public:
  void lock();
  bool try_lock();
  void unlock();
};

class shared_mutex {
public:
  void lock();
  bool try_lock();
  void unlock();
  void lock_shared();
  bool try_lock_shared();
  void unlock_shared();
};

template <class M> class lock_guard {
public:
  explicit lock_guard(M &m);
  lock_guard(M &m, adopt_lock_t);
  ~lock_guard();
};

template <class M> class unique_lock {
public:
  unique_lock();
  explicit unique_lock(M &m);
  unique_lock(M &m, defer_lock_t);
  unique_lock(M &m, try_to_lock_t);
  unique_lock(M &m, adopt_lock_t);
  unique_lock(unique_lock &&other);
  unique_lock &operator=(unique_lock &&other);
  ~unique_lock();
  void lock();
  bool try_lock();
  void unlock();
  M *release();
  bool owns_lock() const;
  explicit operator bool() const;
  M *mutex() const;
};

template <class M> class shared_lock {
public:
  explicit shared_lock(M &m);
  ~shared_lock();
  void lock();
  void unlock();
};

template <class... Ms> class scoped_lock {
public:
  explicit scoped_lock(Ms &...ms);
  ~scoped_lock();
};

template <class L1, class L2, class... Ls> void lock(L1 &, L2 &, Ls &...);
template <class L1, class L2, class... Ls> int try_lock(L1 &, L2 &, Ls &...);

enum class cv_status { no_timeout, timeout };

namespace chrono {
struct milliseconds {
  explicit milliseconds(long);
};
struct time_point {};
} // namespace chrono

class condition_variable {
public:
  void notify_one();
  void notify_all();
  void wait(unique_lock<mutex> &lock);
  template <class Predicate>
  void wait(unique_lock<mutex> &lock, Predicate pred) {
    while (!pred())
      wait(lock);
  }
  cv_status wait_for(unique_lock<mutex> &lock, const chrono::milliseconds &d);
  template <class Predicate>
  bool wait_for(unique_lock<mutex> &lock, const chrono::milliseconds &d,
                Predicate pred) {
    return pred();
  }
  cv_status wait_until(unique_lock<mutex> &lock, const chrono::time_point &t);
  template <class Predicate>
  bool wait_until(unique_lock<mutex> &lock, const chrono::time_point &t,
                  Predicate pred) {
    return pred();
  }
};

inline namespace _V2 {
class condition_variable_any {
public:
  void notify_one();
  void notify_all();
  template <class Lock> void wait(Lock &lock) {}
  template <class Lock, class Predicate> void wait(Lock &lock, Predicate pred) {
    while (!pred())
      wait(lock);
  }
  template <class Lock>
  cv_status wait_for(Lock &lock, const chrono::milliseconds &d) {
    return cv_status::timeout;
  }
  template <class Lock, class Predicate>
  bool wait_for(Lock &lock, const chrono::milliseconds &d, Predicate pred) {
    return pred();
  }
};
} // namespace _V2

class thread {
public:
  thread() noexcept;
  template <class F, class... Args> explicit thread(F &&f, Args &&...args) {}
  thread(thread &&other) noexcept;
  ~thread();
  bool joinable() const noexcept;
  void join();
  void detach();
};

} // namespace std
#endif

#endif
