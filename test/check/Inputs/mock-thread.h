// A minimal stand-in for <thread>, <vector>, <atomic>, <future>, <pthread.h>
// and <unistd.h>, so that thread-lifecycle tests parse fast and the same on
// every machine.
#pragma clang system_header
#ifdef __cplusplus
namespace std {
template <class T> struct remove_reference { typedef T type; };
template <class T> struct remove_reference<T &> { typedef T type; };
template <class T> typename remove_reference<T>::type &&move(T &&t) noexcept;
template <class T> struct reference_wrapper { T *p; };
template <class T> reference_wrapper<T> ref(T &t) noexcept;
template <class T> reference_wrapper<const T> cref(const T &t) noexcept;
class stop_token {
public:
  bool stop_requested() const noexcept;
};
class thread {
public:
  thread() noexcept;
  template <class F, class... A> explicit thread(F &&f, A &&...a) {}
  thread(thread &&) noexcept;
  thread &operator=(thread &&) noexcept;
  ~thread();
  bool joinable() const noexcept;
  void join();
  void detach();
};
class jthread {
public:
  jthread() noexcept;
  template <class F, class... A> explicit jthread(F &&f, A &&...a) {}
  jthread(jthread &&) noexcept;
  ~jthread();
  bool joinable() const noexcept;
  void join();
  void detach();
  bool request_stop() noexcept;
};
template <class T> class vector {
public:
  template <class... A> T &emplace_back(A &&...a) { return *begin(); }
  void push_back(T &&v);
  T &operator[](unsigned long i);
  T *begin();
  T *end();
  unsigned long size() const;
};
template <class T> struct atomic {
  atomic(T v) noexcept;
  operator T() const noexcept;
  T operator=(T v) noexcept;
  T load() const noexcept;
  void store(T v) noexcept;
};
class mutex {
public:
  void lock();
  void unlock();
};
template <class M> class lock_guard {
public:
  explicit lock_guard(M &m);
  ~lock_guard();
};
enum class launch { async = 1, deferred = 2 };
template <class T> class future {
public:
  ~future();
  T get();
};
template <class F, class... A> future<void> async(launch l, F &&f, A &&...a) { return future<void>(); }
} // namespace std
extern "C" {
#endif
typedef unsigned long pthread_t;
typedef struct { int opaque; } pthread_attr_t;
typedef int pid_t;
#define PTHREAD_CREATE_DETACHED 1
int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg);
int pthread_join(pthread_t t, void **ret);
int pthread_detach(pthread_t t);
pthread_t pthread_self(void);
int pthread_attr_init(pthread_attr_t *a);
int pthread_attr_setdetachstate(pthread_attr_t *a, int s);
pid_t fork(void);
int execvp(const char *file, char *const argv[]);
int execl(const char *path, const char *arg, ...);
void _exit(int status) __attribute__((noreturn));
int dup2(int a, int b);
int close(int fd);
int printf(const char *fmt, ...);
pid_t waitpid(pid_t pid, int *status, int options);
void sleep_ms(int ms);
#ifdef __cplusplus
}
#endif
