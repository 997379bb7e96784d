//===- Interceptors.cpp - Every function libsnag_rt.so interposes ---------===//
//
// Each interceptor resolves the calling thread and the lock, tells the core
// what is about to happen, calls the real function, and tells the core what
// happened. Nothing else lives here. Real functions are resolved with
// dlsym(RTLD_NEXT) (dlvsym where glibc exports two versions), so another
// interposer loaded earlier (ThreadSanitizer) keeps working and calls us.
//
//===----------------------------------------------------------------------===//
#include "Core.h"
#include "OptionCheck.h"
#include "Options.h"
#include "SnagRecord.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <link.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

using namespace snag::rt;

extern "C" char **environ;

namespace {

//===--- Real functions ---------------------------------------------------===//

#define SNAG_REAL_FUNCTIONS(X)                                                 \
  X(pthread_mutex_lock) X(pthread_mutex_trylock) X(pthread_mutex_timedlock)    \
  X(pthread_mutex_clocklock) X(pthread_mutex_unlock) X(pthread_mutex_init)     \
  X(pthread_mutex_destroy) X(pthread_rwlock_rdlock) X(pthread_rwlock_wrlock)   \
  X(pthread_rwlock_tryrdlock) X(pthread_rwlock_trywrlock)                      \
  X(pthread_rwlock_timedrdlock) X(pthread_rwlock_timedwrlock)                  \
  X(pthread_rwlock_clockrdlock) X(pthread_rwlock_clockwrlock)                  \
  X(pthread_rwlock_unlock) X(pthread_rwlock_init) X(pthread_rwlock_destroy)    \
  X(pthread_spin_lock) X(pthread_spin_trylock) X(pthread_spin_unlock)          \
  X(pthread_spin_init) X(pthread_spin_destroy) X(pthread_cond_clockwait)       \
  X(pthread_create) X(pthread_join) X(pthread_tryjoin_np)                      \
  X(pthread_timedjoin_np) X(pthread_clockjoin_np) X(pthread_detach)            \
  X(pthread_exit) X(pthread_key_create) X(pthread_setspecific)                 \
  X(pthread_sigmask) X(mtx_init) X(mtx_lock) X(mtx_trylock) X(mtx_timedlock)   \
  X(mtx_unlock) X(mtx_destroy) X(cnd_wait) X(cnd_timedwait) X(cnd_init)        \
  X(cnd_destroy) X(thrd_create) X(thrd_join) X(thrd_detach) X(thrd_exit)       \
  X(fork) X(exit) X(free) X(malloc_usable_size) X(munmap)                      \
  X(dl_iterate_phdr) X(clock_gettime) X(execve) X(execv) X(execvp) X(execvpe)

#define SNAG_DECLARE_REAL(Name) decltype(&::Name) Real_##Name;
SNAG_REAL_FUNCTIONS(SNAG_DECLARE_REAL)
#undef SNAG_DECLARE_REAL

// pthread_cond_* exist in two versions: GLIBC_2.3.2 (the current condvar)
// and GLIBC_2.2.5 (binaries linked against the old one). Each of ours calls
// the real function of its own version.
using CondWaitFn = int (*)(pthread_cond_t *, pthread_mutex_t *);
using CondTimedWaitFn = int (*)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
using CondInitFn = int (*)(pthread_cond_t *, const pthread_condattr_t *);
using CondDestroyFn = int (*)(pthread_cond_t *);
struct CondFunctions {
  CondWaitFn Wait;
  CondTimedWaitFn TimedWait;
  CondInitFn Init;
  CondDestroyFn Destroy;
};
CondFunctions CondNew, CondOld;

template <typename T> T resolve(const char *Name) {
  return reinterpret_cast<T>(dlsym(RTLD_NEXT, Name));
}
template <typename T> T resolveVersion(const char *Name, const char *Version) {
  void *P = dlvsym(RTLD_NEXT, Name, Version);
  return reinterpret_cast<T>(P ? P : dlsym(RTLD_NEXT, Name));
}

template <typename T> T resolveInto(T &Slot, const char *Name) {
  Slot = resolve<T>(Name);
  return Slot;
}

#define REAL(Name) (Real_##Name ? Real_##Name : resolveInto(Real_##Name, #Name))

//===--- Initialization and re-entry --------------------------------------===//

enum : int { NotStarted, Starting, Ready };
std::atomic<int> InitState{NotStarted};
std::atomic<int> InitTid{0};
bool Passive = false; // this process is not analysed
bool TsanPresent = false;
// A sanitizer build with -fsanitize-coverage: its runtime's call that writes
// the coverage (<module>.<pid>.sancov in TSAN_OPTIONS' coverage_dir, when
// coverage=1). ThreadSanitizer's runtime, unlike AddressSanitizer's, never
// calls it by itself.
void (*SanitizerCovDump)() = nullptr;
pthread_key_t ExitKey;

__thread int InRuntime __attribute__((tls_model("initial-exec")));

struct RuntimeScope {
  RuntimeScope() { ++InRuntime; }
  ~RuntimeScope() { --InRuntime; }
};

const char *findEnv(const char *Name) {
  size_t Len = strLen(Name);
  for (char **E = environ; E && *E; ++E)
    if (strStartsWith(*E, Name) && (*E)[Len] == '=')
      return *E + Len + 1;
  return nullptr;
}

// Whether the program's name is one of ignore_exe's.
bool ignoredExecutable() {
  char Exe[4096];
  long N = sysReadlink("/proc/self/exe", Exe, sizeof(Exe) - 1);
  if (N <= 0)
    return false;
  Exe[N] = 0;
  const char *Base = Exe;
  for (const char *P = Exe; *P; ++P)
    if (*P == '/')
      Base = P + 1;
  const char *List = options().ignore_exe;
  while (List && *List) {
    const char *End = List;
    while (*End && *End != ',')
      ++End;
    size_t Len = static_cast<size_t>(End - List);
    if (Len && strStartsWith(Base, "") && strLen(Base) >= Len) {
      bool Match = true;
      for (size_t I = 0; I < Len; ++I)
        Match &= Base[I] == List[I];
      // "llvm-symbolizer" also covers "llvm-symbolizer-19".
      if (Match && (Base[Len] == 0 || Base[Len] == '-'))
        return true;
    }
    List = *End ? End + 1 : End;
  }
  return false;
}

void onThreadKeyDestroyed(void *State) {
  RuntimeScope S;
  onThreadExit(static_cast<ThreadState *>(State));
}

void startHelperThread(void *(*Main)(void *)) {
  // Helpers must not take the program's signals.
  sigset_t All, Old;
  sigfillset(&All);
  REAL(pthread_sigmask)(SIG_SETMASK, &All, &Old);
  pthread_t T;
  pthread_attr_t Attr;
  pthread_attr_init(&Attr);
  pthread_attr_setdetachstate(&Attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&Attr, 256 << 10);
  REAL(pthread_create)(&T, &Attr, Main, nullptr);
  pthread_attr_destroy(&Attr);
  REAL(pthread_sigmask)(SIG_SETMASK, &Old, nullptr);
}

// The signal that asks a waiting thread for its stack. A real-time signal
// far from the ones glibc and most programs use; never sent when the
// program has put its own handler there.
int StackSignal = 0;

void onStackSignal(int) {
  int SavedErrno = errno;
  captureWaitStackInHandler();
  errno = SavedErrno;
}

bool sendStackRequest(ThreadState *T) {
  struct sigaction Current;
  if (!StackSignal || !T->OsTid || sigaction(StackSignal, nullptr, &Current) != 0 ||
      Current.sa_handler != onStackSignal)
    return false;
  return syscall(SYS_tgkill, sysGetpid(), T->OsTid, StackSignal) == 0;
}

void installStackSignal() {
  int Sig = SIGRTMAX - 3;
  struct sigaction Old;
  if (sigaction(Sig, nullptr, &Old) != 0 || Old.sa_handler != SIG_DFL)
    return;
  struct sigaction New = {};
  New.sa_handler = onStackSignal;
  New.sa_flags = SA_RESTART;
  sigfillset(&New.sa_mask);
  if (sigaction(Sig, &New, nullptr) == 0) {
    StackSignal = Sig;
    setStackRequester(sendStackRequest);
  }
}

// libgcc's unwinder, as glibc's backtrace uses it.
struct UnwindContext;
using UnwindTraceFn = int (*)(UnwindContext *, void *);
using UnwindBacktraceFn = int (*)(UnwindTraceFn, void *);
using UnwindGetIPFn = uintptr_t (*)(UnwindContext *);
UnwindBacktraceFn UnwindBacktrace;
UnwindGetIPFn UnwindGetIP;

bool resolveUnwinder() {
  void *Lib = RTLD_DEFAULT; // a null handle, as it happens
  if (!dlsym(RTLD_DEFAULT, "_Unwind_Backtrace")) {
    Lib = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!Lib)
      return false;
  }
  UnwindBacktrace = reinterpret_cast<UnwindBacktraceFn>(dlsym(Lib, "_Unwind_Backtrace"));
  UnwindGetIP = reinterpret_cast<UnwindGetIPFn>(dlsym(Lib, "_Unwind_GetIP"));
  return UnwindBacktrace && UnwindGetIP;
}

struct UnwindState {
  void **Frames;
  int Max;
  int Count;
};

int onUnwindFrame(UnwindContext *Ctx, void *Arg) {
  auto *S = static_cast<UnwindState *>(Arg);
  if (S->Count >= S->Max)
    return 5; // _URC_END_OF_STACK
  uintptr_t Pc = UnwindGetIP(Ctx);
  if (!Pc)
    return 5;
  S->Frames[S->Count++] = reinterpret_cast<void *>(Pc);
  return 0; // _URC_NO_REASON
}

// backtrace(3) without glibc's wrapper; its first frame is this function,
// which the collector drops with the rest of the runtime's frames.
int unwindBacktrace(void **Frames, int Max) {
  UnwindState S{Frames, Max, 0};
  UnwindBacktrace(onUnwindFrame, &S);
  return S.Count;
}

// In a ThreadSanitizer build the program's free is ThreadSanitizer's (the
// executable's symbol wins over ours): the sanitizer's free hook tells us
// about each block instead.
using SanitizerFreeHook = void (*)(const volatile void *);
using SanitizerMallocHook = void (*)(const volatile void *, size_t);
using InstallHooksFn = int (*)(SanitizerMallocHook, SanitizerFreeHook);
using AllocatedSizeFn = size_t (*)(const volatile void *);
AllocatedSizeFn SanitizerAllocatedSize;

void onSanitizerFree(const volatile void *P);
void onSanitizerMalloc(const volatile void *, size_t) {}

void installSanitizerFreeHook() {
  auto Install = reinterpret_cast<InstallHooksFn>(
      dlsym(RTLD_DEFAULT, "__sanitizer_install_malloc_and_free_hooks"));
  SanitizerAllocatedSize = reinterpret_cast<AllocatedSizeFn>(
      dlsym(RTLD_DEFAULT, "__sanitizer_get_allocated_size"));
  if (Install && SanitizerAllocatedSize)
    Install(onSanitizerMalloc, onSanitizerFree); // both or neither, it insists
}

void resolveAll() {
#define SNAG_RESOLVE(Name) REAL(Name);
  SNAG_REAL_FUNCTIONS(SNAG_RESOLVE)
#undef SNAG_RESOLVE
  CondNew = {resolveVersion<CondWaitFn>("pthread_cond_wait", "GLIBC_2.3.2"),
             resolveVersion<CondTimedWaitFn>("pthread_cond_timedwait", "GLIBC_2.3.2"),
             resolveVersion<CondInitFn>("pthread_cond_init", "GLIBC_2.3.2"),
             resolveVersion<CondDestroyFn>("pthread_cond_destroy", "GLIBC_2.3.2")};
  CondOld = {resolveVersion<CondWaitFn>("pthread_cond_wait", "GLIBC_2.2.5"),
             resolveVersion<CondTimedWaitFn>("pthread_cond_timedwait", "GLIBC_2.2.5"),
             resolveVersion<CondInitFn>("pthread_cond_init", "GLIBC_2.2.5"),
             resolveVersion<CondDestroyFn>("pthread_cond_destroy", "GLIBC_2.2.5")};
}

// Bad SNAG_OPTIONS end the program before it starts, as the sanitizers do
// with bad flags: a run with options other than the ones asked for would
// report on something else. snag run checks them first, so this is for a
// runtime preloaded by hand.
[[noreturn]] void refuseOptions(const char *Item, unsigned long Len) {
  char Buf[1024];
  TextBuffer B(Buf, sizeof(Buf));
  const OptionSpec *Spec;
  OptionProblem Problem = checkOptionItem(Item, Len, Spec);
  B.str("snag: error: SNAG_OPTIONS: ");
  switch (Problem) {
  case OptionProblem::Unknown:
  case OptionProblem::None:
    B.str("unknown option '");
    break;
  case OptionProblem::NoValue:
    B.str("no value in '");
    break;
  case OptionProblem::BadBool:
    B.str("expected 0 or 1 in '");
    break;
  case OptionProblem::BadInt:
    B.str("expected a whole number from ").dec(static_cast<uint64_t>(Spec->Min))
        .str(" to ").dec(static_cast<uint64_t>(Spec->Max)).str(" in '");
    break;
  }
  for (unsigned long I = 0; I < Len; ++I)
    B.chr(Item[I]);
  B.str("'; the options are:");
  for (const OptionSpec &S : OptionSpecs)
    B.chr(' ').str(S.Name);
  B.chr('\n');
  sysWrite(2, B.data(), B.size());
  sysExitGroup(125);
}

void initialize() {
  int Expected = NotStarted;
  if (!InitState.compare_exchange_strong(Expected, Starting)) {
    // Another thread is initializing: wait for it (it takes microseconds).
    // Our own thread re-entering from inside initialization just passes.
    if (InitTid.load() == sysGettid())
      return;
    while (InitState.load() != Ready)
      sysYield();
    return;
  }
  InitTid.store(sysGettid());
  RuntimeScope S;
  resolveAll();
  const char *Bad;
  unsigned long BadLen;
  if (!parseOptions(findEnv(SNAG_OPTIONS_ENV), Bad, BadLen))
    refuseOptions(Bad, BadLen);
  Passive = ignoredExecutable();
  if (auto *Random = reinterpret_cast<const uintptr_t *>(getauxval(AT_RANDOM)))
    setLockSalt(Random[0] ^ Random[1]);
  TsanPresent = dlsym(RTLD_DEFAULT, "__tsan_init") != nullptr;
  if (TsanPresent)
    SanitizerCovDump = reinterpret_cast<void (*)()>(dlsym(RTLD_DEFAULT, "__sanitizer_cov_dump"));
  if (TsanPresent && !Passive)
    installSanitizerFreeHook();
  setDlIterate(REAL(dl_iterate_phdr));
  setClock(reinterpret_cast<ClockFn>(REAL(clock_gettime)));
  if (!Passive) {
    // The unwinder, loaded now rather than in the middle of a lock
    // operation, and called directly: glibc's backtrace would run
    // pthread_once, which may be the program's own, before main.
    if (resolveUnwinder())
      setBacktrace(unwindBacktrace);
    setHelperStarter(startHelperThread);
    installStackSignal();
    REAL(pthread_key_create)(&ExitKey, onThreadKeyDestroyed);
    if (options().profile)
      startProfile();
    currentThread();
    announceProcess(false);
    if (options().verbose) {
      static const char Msg[] = "snag: runtime active\n";
      sysWrite(2, Msg, sizeof(Msg) - 1);
    }
  } else {
    announceProcess(true);
  }
  InitState.store(Ready);
}

// Whether this call is one to record.
__attribute__((always_inline)) inline bool active() {
  if (__builtin_expect(InitState.load(std::memory_order_acquire) != Ready, 0)) {
    initialize();
    if (InitState.load() != Ready)
      return false;
  }
  return !Passive && !InRuntime;
}

uintptr_t *words(void *P, size_t Offset) {
  return reinterpret_cast<uintptr_t *>(static_cast<char *>(P) + Offset);
}

//===--- Lock lookup ------------------------------------------------------===//

// Robust and process-shared mutexes use the robust-list words, or are
// shared with other processes: those are known by address only.
constexpr int MutexRobust = 16, MutexShared = 128;

__attribute__((always_inline)) inline LockInfo *mutexInfo(pthread_mutex_t *M) {
  int Kind = M->__data.__kind;
  LockKind K = (Kind & 3) == PTHREAD_MUTEX_RECURSIVE_NP    ? LockKind::RecursiveMutex
               : (Kind & 3) == PTHREAD_MUTEX_ERRORCHECK_NP ? LockKind::ErrorCheckMutex
                                                           : LockKind::Mutex;
  if (Kind & (MutexRobust | MutexShared))
    return lockAt(reinterpret_cast<uintptr_t>(M), K, nullptr, 0);
  return lockAt(reinterpret_cast<uintptr_t>(M), K,
                words(M, offsetof(__pthread_mutex_s, __list)), 2);
}

int mutexWords(pthread_mutex_t *M, uintptr_t *&W) {
  if (M->__data.__kind & (MutexRobust | MutexShared)) {
    W = nullptr;
    return 0;
  }
  W = words(M, offsetof(__pthread_mutex_s, __list));
  return 2;
}

LockInfo *rwlockInfo(pthread_rwlock_t *RW) {
  return lockAt(reinterpret_cast<uintptr_t>(RW), LockKind::RWLock,
                words(RW, offsetof(__pthread_rwlock_arch_t, __pad2)), 1);
}
uintptr_t *rwlockWords(pthread_rwlock_t *RW) {
  return words(RW, offsetof(__pthread_rwlock_arch_t, __pad2));
}

LockInfo *tableInfo(const volatile void *P, LockKind K) {
  return lockAt(reinterpret_cast<uintptr_t>(const_cast<const void *>(P)), K, nullptr, 0);
}

// A monotonic deadline a short slice from now: blocking waits are cut into
// slices so that a long wait records its stack for the deadlock report.
struct timespec sliceDeadline() {
  struct timespec T;
  REAL(clock_gettime)(CLOCK_MONOTONIC, &T);
  T.tv_nsec += 50 * 1000000L;
  if (T.tv_nsec >= 1000000000L) {
    T.tv_nsec -= 1000000000L;
    ++T.tv_sec;
  }
  return T;
}

// The program's call into the interposed function (the profile's call site).
#define SNAG_CALL_SITE reinterpret_cast<uintptr_t>(__builtin_return_address(0))

template <typename TimedFn>
int waitInSlices(ThreadState *T, LockInfo *L, bool ProcessShared, uintptr_t CallSite,
                 TimedFn Timed) {
  uint64_t Start = Profiling ? profileNow() : 0;
  beginLockWait(T, L, ProcessShared);
  int R;
  for (;;) {
    struct timespec Deadline = sliceDeadline();
    R = Timed(&Deadline);
    if (R != ETIMEDOUT)
      break;
    continueWait(T);
  }
  endWait(T);
  if (Profiling && R == 0)
    profileContended(L, profileNow() - Start, CallSite);
  return R;
}

__attribute__((always_inline)) inline int lockMutex(pthread_mutex_t *M, uintptr_t CallSite) {
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *L = mutexInfo(M);
  beforeLock(T, L, false, Acquire::Blocking);
  int R = REAL(pthread_mutex_trylock)(M);
  if (R == EBUSY)
    R = waitInSlices(T, L, M->__data.__kind & MutexShared, CallSite,
                     [M](const struct timespec *D) {
      return REAL(pthread_mutex_clocklock)(M, CLOCK_MONOTONIC, D);
    });
  afterLock(T, L, false, R == 0);
  return R;
}

int tryLockMutex(pthread_mutex_t *M) {
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *L = mutexInfo(M);
  beforeLock(T, L, false, Acquire::Try);
  int R = REAL(pthread_mutex_trylock)(M);
  afterLock(T, L, false, R == 0);
  return R;
}

__attribute__((always_inline)) inline int unlockMutex(pthread_mutex_t *M) {
  RuntimeScope S;
  beforeUnlock(currentThread(), mutexInfo(M));
  return REAL(pthread_mutex_unlock)(M);
}

void mutexCreated(pthread_mutex_t *M) {
  uintptr_t *W;
  int N = mutexWords(M, W);
  onLockCreated(reinterpret_cast<uintptr_t>(M), W, N);
}

void mutexDestroyed(pthread_mutex_t *M) {
  RuntimeScope S;
  uintptr_t *W;
  int N = mutexWords(M, W);
  onLockDestroyed(currentThread(), reinterpret_cast<uintptr_t>(M), W, N);
}

// glibc keeps the process-shared flag in bit 0 of __wrefs.
bool condProcessShared(pthread_cond_t *C) {
  return __atomic_load_n(&C->__data.__wrefs, __ATOMIC_RELAXED) & 1;
}

int condWait(const CondFunctions &Real, pthread_cond_t *C, pthread_mutex_t *M,
             const struct timespec *Deadline, clockid_t Clock, bool ClockWait) {
  if (!active())
    return ClockWait ? REAL(pthread_cond_clockwait)(C, M, Clock, Deadline)
           : Deadline ? Real.TimedWait(C, M, Deadline)
                      : Real.Wait(C, M);
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *Cond = tableInfo(C, LockKind::Mutex);
  LockInfo *L = mutexInfo(M);
  // A process-shared condition variable may be signalled by another
  // process: a wait on it is never "stuck" as far as this process can tell.
  beforeCondWait(T, Cond, L, Deadline != nullptr || condProcessShared(C));
  T->InRealWait.store(true);
  int R = ClockWait ? REAL(pthread_cond_clockwait)(C, M, Clock, Deadline)
          : Deadline ? Real.TimedWait(C, M, Deadline)
                     : Real.Wait(C, M);
  T->InRealWait.store(false);
  afterCondWait(T, Cond, L);
  return R;
}

int condInit(const CondFunctions &Real, pthread_cond_t *C, const pthread_condattr_t *A) {
  int R = Real.Init(C, A);
  if (active())
    onLockCreated(reinterpret_cast<uintptr_t>(C), nullptr, 0);
  return R;
}

/// A condition variable (pthread or C11) destroyed by \p Destroy: reported
/// when threads still wait on it, then passed through unchanged. glibc waits
/// for the waiters to leave, so the call may never return (beginDestroyWait
/// lets the watchdog end it).
template <typename DestroyFn> int destroyCondVar(const void *C, DestroyFn Destroy) {
  if (!active())
    return Destroy();
  ThreadState *T;
  bool Waited;
  {
    RuntimeScope S;
    T = currentThread();
    LockInfo *Cond = tableInfo(C, LockKind::Mutex);
    Waited = condHasWaiters(Cond);
    if (Waited)
      beginDestroyWait(T, Cond);
    else // its record is reused
      onLockDestroyed(T, reinterpret_cast<uintptr_t>(C), nullptr, 0);
  }
  int R = Destroy();
  if (Waited) {
    RuntimeScope S;
    endWait(T);
  }
  return R;
}

int condDestroy(const CondFunctions &Real, pthread_cond_t *C) {
  return destroyCondVar(C, [&] { return Real.Destroy(C); });
}

int rwLock(pthread_rwlock_t *RW, bool Shared, uintptr_t CallSite) {
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *L = rwlockInfo(RW);
  beforeLock(T, L, Shared, Acquire::Blocking);
  int R = Shared ? REAL(pthread_rwlock_tryrdlock)(RW) : REAL(pthread_rwlock_trywrlock)(RW);
  if (R == EBUSY)
    R = waitInSlices(T, L, RW->__data.__shared != 0, CallSite,
                     [RW, Shared](const struct timespec *D) {
      return Shared ? REAL(pthread_rwlock_clockrdlock)(RW, CLOCK_MONOTONIC, D)
                    : REAL(pthread_rwlock_clockwrlock)(RW, CLOCK_MONOTONIC, D);
    });
  afterLock(T, L, Shared, R == 0);
  return R;
}

template <typename Fn> int rwOther(pthread_rwlock_t *RW, bool Shared, Acquire How, Fn Call) {
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *L = rwlockInfo(RW);
  beforeLock(T, L, Shared, How);
  int R = Call();
  afterLock(T, L, Shared, R == 0);
  return R;
}

//===--- Threads ----------------------------------------------------------===//

void *threadStart(void *Arg) {
  auto *T = static_cast<ThreadState *>(Arg);
  {
    RuntimeScope S;
    onThreadStart(T);
    REAL(pthread_setspecific)(ExitKey, T);
  }
  void *R = T->StartRoutine(T->StartArg);
  RuntimeScope S;
  onThreadExit(T);
  return R;
}

int c11ThreadStart(void *Arg) {
  auto *T = static_cast<ThreadState *>(Arg);
  {
    RuntimeScope S;
    onThreadStart(T);
    REAL(pthread_setspecific)(ExitKey, T);
  }
  int R = reinterpret_cast<int (*)(void *)>(reinterpret_cast<void *>(T->StartRoutine))(T->StartArg);
  RuntimeScope S;
  onThreadExit(T);
  return R;
}

template <typename JoinFn> int joinThread(uintptr_t Handle, bool Timed, JoinFn Join) {
  RuntimeScope S;
  ThreadState *T = currentThread();
  ThreadState *Target = findThreadByHandle(Handle);
  beforeJoin(T, Target, Timed);
  T->InRealWait.store(true);
  int R = Join();
  T->InRealWait.store(false);
  afterJoin(T, Target, R == 0);
  return R;
}

// Whether an environment still preloads the runtime.
bool envPreloads(char *const *Envp) {
  for (char *const *E = Envp; E && *E; ++E) {
    if (!strStartsWith(*E, "LD_PRELOAD="))
      continue;
    for (const char *P = *E; *P; ++P)
      if (strStartsWith(P, "libsnag_rt"))
        return true;
  }
  return false;
}

class ExecRecord {
public:
  ExecRecord(const char *Path, char *const *Envp) : Recorded(active()) {
    if (!Recorded)
      return;
    RuntimeScope S;
    writeProfile(); // the image is about to go
    recordExec(Path, envPreloads(Envp));
  }
  int failed(int R) {
    if (Recorded) {
      int Saved = errno;
      RuntimeScope S;
      recordExecFailed();
      errno = Saved;
    }
    return R;
  }

private:
  bool Recorded;
};

// A block of the program's memory is about to be given back: a lock in it
// that its freeing thread holds is reported, and every lock in it is gone.
void beforeBlockFreed(uintptr_t P, size_t Size) {
  RuntimeScope S;
  ThreadState *T = currentThreadIfKnown();
  if (T && T->HeldCount && options().detect_free_while_locked)
    onFree(T, P, Size);
  onMemoryFreed(P, Size);
}

void onSanitizerFree(const volatile void *P) {
  if (!P || InitState.load(std::memory_order_relaxed) != Ready || InRuntime || Passive)
    return;
  beforeBlockFreed(reinterpret_cast<uintptr_t>(const_cast<const void *>(P)),
                   SanitizerAllocatedSize(P));
}

void exitHook() {
  if (InitState.load() != Ready)
    return;
  // Each call writes all that ran so far, over the last: the latest wins.
  if (SanitizerCovDump)
    SanitizerCovDump();
  if (Passive)
    return;
  RuntimeScope S;
  onProcessExit();
  writeProfile();
}

int (*RealMain)(int, char **, char **);
int mainWrapper(int Argc, char **Argv, char **Envp) {
  int R = RealMain(Argc, Argv, Envp);
  exitHook();
  return R;
}

} // namespace

//===--- The interposed functions -----------------------------------------===//

extern "C" {

#define SNAG_EXPORT __attribute__((visibility("default")))

SNAG_EXPORT int pthread_mutex_lock(pthread_mutex_t *M) {
  if (!active())
    return REAL(pthread_mutex_lock)(M);
  return lockMutex(M, SNAG_CALL_SITE);
}

SNAG_EXPORT int pthread_mutex_trylock(pthread_mutex_t *M) {
  if (!active())
    return REAL(pthread_mutex_trylock)(M);
  return tryLockMutex(M);
}

SNAG_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *M, const struct timespec *D) {
  if (!active())
    return REAL(pthread_mutex_timedlock)(M, D);
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *L = mutexInfo(M);
  beforeLock(T, L, false, Acquire::Timed);
  int R = REAL(pthread_mutex_timedlock)(M, D);
  afterLock(T, L, false, R == 0);
  return R;
}

SNAG_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *M, clockid_t C,
                                        const struct timespec *D) {
  if (!active())
    return REAL(pthread_mutex_clocklock)(M, C, D);
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *L = mutexInfo(M);
  beforeLock(T, L, false, Acquire::Timed);
  int R = REAL(pthread_mutex_clocklock)(M, C, D);
  afterLock(T, L, false, R == 0);
  return R;
}

SNAG_EXPORT int pthread_mutex_unlock(pthread_mutex_t *M) {
  if (!active())
    return REAL(pthread_mutex_unlock)(M);
  return unlockMutex(M);
}

SNAG_EXPORT int pthread_mutex_init(pthread_mutex_t *M, const pthread_mutexattr_t *A) {
  int R = REAL(pthread_mutex_init)(M, A);
  if (R == 0 && active()) {
    RuntimeScope S;
    mutexCreated(M);
  }
  return R;
}

SNAG_EXPORT int pthread_mutex_destroy(pthread_mutex_t *M) {
  if (active())
    mutexDestroyed(M);
  return REAL(pthread_mutex_destroy)(M);
}

// Read-write locks.

SNAG_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *RW) {
  if (!active())
    return REAL(pthread_rwlock_rdlock)(RW);
  return rwLock(RW, true, SNAG_CALL_SITE);
}

SNAG_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *RW) {
  if (!active())
    return REAL(pthread_rwlock_wrlock)(RW);
  return rwLock(RW, false, SNAG_CALL_SITE);
}

SNAG_EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t *RW) {
  if (!active())
    return REAL(pthread_rwlock_tryrdlock)(RW);
  return rwOther(RW, true, Acquire::Try, [RW] { return REAL(pthread_rwlock_tryrdlock)(RW); });
}

SNAG_EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t *RW) {
  if (!active())
    return REAL(pthread_rwlock_trywrlock)(RW);
  return rwOther(RW, false, Acquire::Try, [RW] { return REAL(pthread_rwlock_trywrlock)(RW); });
}

SNAG_EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t *RW, const struct timespec *D) {
  if (!active())
    return REAL(pthread_rwlock_timedrdlock)(RW, D);
  return rwOther(RW, true, Acquire::Timed, [RW, D] { return REAL(pthread_rwlock_timedrdlock)(RW, D); });
}

SNAG_EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *RW, const struct timespec *D) {
  if (!active())
    return REAL(pthread_rwlock_timedwrlock)(RW, D);
  return rwOther(RW, false, Acquire::Timed, [RW, D] { return REAL(pthread_rwlock_timedwrlock)(RW, D); });
}

SNAG_EXPORT int pthread_rwlock_clockrdlock(pthread_rwlock_t *RW, clockid_t C, const struct timespec *D) {
  if (!active())
    return REAL(pthread_rwlock_clockrdlock)(RW, C, D);
  return rwOther(RW, true, Acquire::Timed, [RW, C, D] { return REAL(pthread_rwlock_clockrdlock)(RW, C, D); });
}

SNAG_EXPORT int pthread_rwlock_clockwrlock(pthread_rwlock_t *RW, clockid_t C, const struct timespec *D) {
  if (!active())
    return REAL(pthread_rwlock_clockwrlock)(RW, C, D);
  return rwOther(RW, false, Acquire::Timed, [RW, C, D] { return REAL(pthread_rwlock_clockwrlock)(RW, C, D); });
}

SNAG_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *RW) {
  if (!active())
    return REAL(pthread_rwlock_unlock)(RW);
  {
    RuntimeScope S;
    beforeUnlock(currentThread(), rwlockInfo(RW));
  }
  return REAL(pthread_rwlock_unlock)(RW);
}

SNAG_EXPORT int pthread_rwlock_init(pthread_rwlock_t *RW, const pthread_rwlockattr_t *A) {
  int R = REAL(pthread_rwlock_init)(RW, A);
  if (R == 0 && active()) {
    RuntimeScope S;
    onLockCreated(reinterpret_cast<uintptr_t>(RW), rwlockWords(RW), 1);
  }
  return R;
}

SNAG_EXPORT int pthread_rwlock_destroy(pthread_rwlock_t *RW) {
  if (active()) {
    RuntimeScope S;
    onLockDestroyed(currentThread(), reinterpret_cast<uintptr_t>(RW), rwlockWords(RW), 1);
  }
  return REAL(pthread_rwlock_destroy)(RW);
}

// Spin locks: no spare word, so identity lasts from init to destroy.

SNAG_EXPORT int pthread_spin_lock(pthread_spinlock_t *L) {
  if (!active())
    return REAL(pthread_spin_lock)(L);
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *Info = tableInfo(L, LockKind::Spin);
  beforeLock(T, Info, false, Acquire::Blocking);
  int R = REAL(pthread_spin_trylock)(L);
  if (R == EBUSY) {
    uint64_t Start = Profiling ? profileNow() : 0;
    beginLockWait(T, Info, false);
    uint64_t Slice = nowNs() + 50000000ull;
    for (unsigned Spins = 1; (R = REAL(pthread_spin_trylock)(L)) == EBUSY; ++Spins) {
      if (Spins % 256 == 0) {
        sysYield();
        if (nowNs() > Slice) {
          continueWait(T);
          Slice = nowNs() + 50000000ull;
        }
      }
    }
    endWait(T);
    if (Profiling && R == 0)
      profileContended(Info, profileNow() - Start, SNAG_CALL_SITE);
  }
  afterLock(T, Info, false, R == 0);
  return R;
}

SNAG_EXPORT int pthread_spin_trylock(pthread_spinlock_t *L) {
  if (!active())
    return REAL(pthread_spin_trylock)(L);
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *Info = tableInfo(L, LockKind::Spin);
  beforeLock(T, Info, false, Acquire::Try);
  int R = REAL(pthread_spin_trylock)(L);
  afterLock(T, Info, false, R == 0);
  return R;
}

SNAG_EXPORT int pthread_spin_unlock(pthread_spinlock_t *L) {
  if (!active())
    return REAL(pthread_spin_unlock)(L);
  {
    RuntimeScope S;
    beforeUnlock(currentThread(), tableInfo(L, LockKind::Spin));
  }
  return REAL(pthread_spin_unlock)(L);
}

SNAG_EXPORT int pthread_spin_init(pthread_spinlock_t *L, int Shared) {
  int R = REAL(pthread_spin_init)(L, Shared);
  if (R == 0 && active()) {
    RuntimeScope S;
    onLockCreated(reinterpret_cast<uintptr_t>(L), nullptr, 0);
  }
  return R;
}

SNAG_EXPORT int pthread_spin_destroy(pthread_spinlock_t *L) {
  if (active()) {
    RuntimeScope S;
    onLockDestroyed(currentThread(), reinterpret_cast<uintptr_t>(L), nullptr, 0);
  }
  return REAL(pthread_spin_destroy)(L);
}

// Condition variables, in both symbol versions (see the version script).

SNAG_EXPORT int snag_cond_wait_new(pthread_cond_t *C, pthread_mutex_t *M) {
  return condWait(CondNew, C, M, nullptr, CLOCK_REALTIME, false);
}
SNAG_EXPORT int snag_cond_timedwait_new(pthread_cond_t *C, pthread_mutex_t *M,
                                        const struct timespec *D) {
  return condWait(CondNew, C, M, D, CLOCK_REALTIME, false);
}
SNAG_EXPORT int snag_cond_init_new(pthread_cond_t *C, const pthread_condattr_t *A) {
  return condInit(CondNew, C, A);
}
SNAG_EXPORT int snag_cond_destroy_new(pthread_cond_t *C) { return condDestroy(CondNew, C); }
SNAG_EXPORT int snag_cond_wait_old(pthread_cond_t *C, pthread_mutex_t *M) {
  return condWait(CondOld, C, M, nullptr, CLOCK_REALTIME, false);
}
SNAG_EXPORT int snag_cond_timedwait_old(pthread_cond_t *C, pthread_mutex_t *M,
                                        const struct timespec *D) {
  return condWait(CondOld, C, M, D, CLOCK_REALTIME, false);
}
SNAG_EXPORT int snag_cond_init_old(pthread_cond_t *C, const pthread_condattr_t *A) {
  return condInit(CondOld, C, A);
}
SNAG_EXPORT int snag_cond_destroy_old(pthread_cond_t *C) { return condDestroy(CondOld, C); }
__asm__(".symver snag_cond_wait_new, pthread_cond_wait@@GLIBC_2.3.2");
__asm__(".symver snag_cond_timedwait_new, pthread_cond_timedwait@@GLIBC_2.3.2");
__asm__(".symver snag_cond_init_new, pthread_cond_init@@GLIBC_2.3.2");
__asm__(".symver snag_cond_destroy_new, pthread_cond_destroy@@GLIBC_2.3.2");
__asm__(".symver snag_cond_wait_old, pthread_cond_wait@GLIBC_2.2.5");
__asm__(".symver snag_cond_timedwait_old, pthread_cond_timedwait@GLIBC_2.2.5");
__asm__(".symver snag_cond_init_old, pthread_cond_init@GLIBC_2.2.5");
__asm__(".symver snag_cond_destroy_old, pthread_cond_destroy@GLIBC_2.2.5");

SNAG_EXPORT int pthread_cond_clockwait(pthread_cond_t *C, pthread_mutex_t *M, clockid_t Clock,
                                       const struct timespec *D) {
  return condWait(CondNew, C, M, D, Clock, true);
}

// Threads.

SNAG_EXPORT int pthread_create(pthread_t *Thread, const pthread_attr_t *Attr,
                               void *(*Start)(void *), void *Arg) {
  if (!active())
    return REAL(pthread_create)(Thread, Attr, Start, Arg);
  ThreadState *Child;
  {
    RuntimeScope S;
    int DetachState = PTHREAD_CREATE_JOINABLE;
    if (Attr)
      pthread_attr_getdetachstate(Attr, &DetachState);
    // ThreadSanitizer's own helper: started with no attributes and no
    // argument, while every program thread it starts gets both.
    bool Internal = TsanPresent && !Attr && !Arg;
    Child = beforeCreate(currentThread(), DetachState == PTHREAD_CREATE_DETACHED, Internal);
    Child->StartRoutine = Start;
    Child->StartArg = Arg;
  }
  int R = REAL(pthread_create)(Thread, Attr, threadStart, Child);
  RuntimeScope S;
  afterCreate(Child, R == 0, R == 0 ? static_cast<uintptr_t>(*Thread) : 0);
  return R;
}

SNAG_EXPORT int pthread_join(pthread_t Thread, void **Ret) {
  if (!active())
    return REAL(pthread_join)(Thread, Ret);
  return joinThread(Thread, false, [&] { return REAL(pthread_join)(Thread, Ret); });
}

SNAG_EXPORT int pthread_tryjoin_np(pthread_t Thread, void **Ret) {
  if (!active())
    return REAL(pthread_tryjoin_np)(Thread, Ret);
  return joinThread(Thread, true, [&] { return REAL(pthread_tryjoin_np)(Thread, Ret); });
}

SNAG_EXPORT int pthread_timedjoin_np(pthread_t Thread, void **Ret, const struct timespec *D) {
  if (!active())
    return REAL(pthread_timedjoin_np)(Thread, Ret, D);
  return joinThread(Thread, true, [&] { return REAL(pthread_timedjoin_np)(Thread, Ret, D); });
}

SNAG_EXPORT int pthread_clockjoin_np(pthread_t Thread, void **Ret, clockid_t C,
                                     const struct timespec *D) {
  if (!active())
    return REAL(pthread_clockjoin_np)(Thread, Ret, C, D);
  return joinThread(Thread, true, [&] { return REAL(pthread_clockjoin_np)(Thread, Ret, C, D); });
}

SNAG_EXPORT int pthread_detach(pthread_t Thread) {
  int R = REAL(pthread_detach)(Thread);
  if (R == 0 && active()) {
    RuntimeScope S;
    onDetach(findThreadByHandle(Thread));
  }
  return R;
}

SNAG_EXPORT void pthread_exit(void *Ret) {
  if (active()) {
    RuntimeScope S;
    onThreadExit(currentThread());
  }
  REAL(pthread_exit)(Ret);
  __builtin_unreachable();
}

// C11 threads: glibc implements them over its internal pthread functions,
// which no interposer sees, so they are intercepted on their own.

static int c11Result(int R) {
  return R == 0 ? thrd_success : R == EBUSY ? thrd_busy : R == ETIMEDOUT ? thrd_timedout
                                                                         : thrd_error;
}

SNAG_EXPORT int mtx_init(mtx_t *M, int Type) {
  int R = REAL(mtx_init)(M, Type);
  if (R == thrd_success && active()) {
    RuntimeScope S;
    mutexCreated(reinterpret_cast<pthread_mutex_t *>(M));
  }
  return R;
}

SNAG_EXPORT int mtx_lock(mtx_t *M) {
  if (!active())
    return REAL(mtx_lock)(M);
  return c11Result(lockMutex(reinterpret_cast<pthread_mutex_t *>(M), SNAG_CALL_SITE));
}

SNAG_EXPORT int mtx_trylock(mtx_t *M) {
  if (!active())
    return REAL(mtx_trylock)(M);
  return c11Result(tryLockMutex(reinterpret_cast<pthread_mutex_t *>(M)));
}

SNAG_EXPORT int mtx_timedlock(mtx_t *__restrict M, const struct timespec *__restrict D) {
  if (!active())
    return REAL(mtx_timedlock)(M, D);
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *L = mutexInfo(reinterpret_cast<pthread_mutex_t *>(M));
  beforeLock(T, L, false, Acquire::Timed);
  int R = REAL(mtx_timedlock)(M, D);
  afterLock(T, L, false, R == thrd_success);
  return R;
}

SNAG_EXPORT int mtx_unlock(mtx_t *M) {
  if (!active())
    return REAL(mtx_unlock)(M);
  return c11Result(unlockMutex(reinterpret_cast<pthread_mutex_t *>(M)));
}

SNAG_EXPORT void mtx_destroy(mtx_t *M) {
  if (active())
    mutexDestroyed(reinterpret_cast<pthread_mutex_t *>(M));
  REAL(mtx_destroy)(M);
}

SNAG_EXPORT int cnd_wait(cnd_t *C, mtx_t *M) {
  if (!active())
    return REAL(cnd_wait)(C, M);
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *Cond = tableInfo(C, LockKind::Mutex);
  LockInfo *L = mutexInfo(reinterpret_cast<pthread_mutex_t *>(M));
  beforeCondWait(T, Cond, L, false);
  T->InRealWait.store(true);
  int R = REAL(cnd_wait)(C, M);
  T->InRealWait.store(false);
  afterCondWait(T, Cond, L);
  return R;
}

SNAG_EXPORT int cnd_timedwait(cnd_t *__restrict C, mtx_t *__restrict M,
                              const struct timespec *__restrict D) {
  if (!active())
    return REAL(cnd_timedwait)(C, M, D);
  RuntimeScope S;
  ThreadState *T = currentThread();
  LockInfo *Cond = tableInfo(C, LockKind::Mutex);
  LockInfo *L = mutexInfo(reinterpret_cast<pthread_mutex_t *>(M));
  beforeCondWait(T, Cond, L, true);
  int R = REAL(cnd_timedwait)(C, M, D);
  afterCondWait(T, Cond, L);
  return R;
}

SNAG_EXPORT int cnd_init(cnd_t *C) {
  int R = REAL(cnd_init)(C);
  if (R == thrd_success && active())
    onLockCreated(reinterpret_cast<uintptr_t>(C), nullptr, 0);
  return R;
}

SNAG_EXPORT void cnd_destroy(cnd_t *C) {
  destroyCondVar(C, [&] {
    REAL(cnd_destroy)(C);
    return 0;
  });
}

SNAG_EXPORT int thrd_create(thrd_t *Thread, thrd_start_t Start, void *Arg) {
  if (!active())
    return REAL(thrd_create)(Thread, Start, Arg);
  ThreadState *Child;
  {
    RuntimeScope S;
    Child = beforeCreate(currentThread(), false, false);
    Child->StartRoutine = reinterpret_cast<void *(*)(void *)>(reinterpret_cast<void *>(Start));
    Child->StartArg = Arg;
  }
  int R = REAL(thrd_create)(Thread, c11ThreadStart, Child);
  RuntimeScope S;
  afterCreate(Child, R == thrd_success, R == thrd_success ? static_cast<uintptr_t>(*Thread) : 0);
  return R;
}

SNAG_EXPORT int thrd_join(thrd_t Thread, int *Ret) {
  if (!active())
    return REAL(thrd_join)(Thread, Ret);
  RuntimeScope S;
  ThreadState *T = currentThread();
  ThreadState *Target = findThreadByHandle(Thread);
  beforeJoin(T, Target, false);
  T->InRealWait.store(true);
  int R = REAL(thrd_join)(Thread, Ret);
  T->InRealWait.store(false);
  afterJoin(T, Target, R == thrd_success);
  return R;
}

SNAG_EXPORT int thrd_detach(thrd_t Thread) {
  int R = REAL(thrd_detach)(Thread);
  if (R == thrd_success && active()) {
    RuntimeScope S;
    onDetach(findThreadByHandle(Thread));
  }
  return R;
}

SNAG_EXPORT void thrd_exit(int Ret) {
  if (active()) {
    RuntimeScope S;
    onThreadExit(currentThread());
  }
  REAL(thrd_exit)(Ret);
  __builtin_unreachable();
}

// Processes.

SNAG_EXPORT pid_t fork(void) {
  if (!active())
    return REAL(fork)();
  RuntimeScope S;
  ThreadState *T = currentThread();
  beforeFork(T);
  pid_t Pid = REAL(fork)();
  if (Pid == 0)
    afterForkChild(T);
  else
    afterForkParent(T);
  return Pid;
}

// exec: the new program should report in with its own file; snag run names
// the ones that do not (a setuid program, a cleared environment).

SNAG_EXPORT int execve(const char *Path, char *const Argv[], char *const Envp[]) {
  ExecRecord Record(Path, Envp);
  return Record.failed(REAL(execve)(Path, Argv, Envp));
}

SNAG_EXPORT int execv(const char *Path, char *const Argv[]) {
  ExecRecord Record(Path, environ);
  return Record.failed(REAL(execv)(Path, Argv));
}

SNAG_EXPORT int execvp(const char *File, char *const Argv[]) {
  ExecRecord Record(File, environ);
  return Record.failed(REAL(execvp)(File, Argv));
}

SNAG_EXPORT int execvpe(const char *File, char *const Argv[], char *const Envp[]) {
  ExecRecord Record(File, Envp);
  return Record.failed(REAL(execvpe)(File, Argv, Envp));
}

SNAG_EXPORT void exit(int Status) {
  exitHook();
  REAL(exit)(Status);
  __builtin_unreachable();
}

// main's return is the moment threads still running count as leaked (before
// static destructors run and maybe hang on them): wrap main.
SNAG_EXPORT int __libc_start_main(int (*Main)(int, char **, char **), int Argc, char **Argv,
                                  void (*Init)(void), void (*Fini)(void),
                                  void (*RtldFini)(void), void *StackEnd) {
  using StartMainFn = int (*)(int (*)(int, char **, char **), int, char **, void (*)(void),
                              void (*)(void), void (*)(void), void *);
  auto Real = resolve<StartMainFn>("__libc_start_main");
  RealMain = Main;
  return Real(mainWrapper, Argc, Argv, Init, Fini, RtldFini, StackEnd);
}

// free (and operator delete, which calls it): locks inside the block are
// gone, and one its owner still holds is misuse.
SNAG_EXPORT void free(void *P) {
  static __thread int Resolving __attribute__((tls_model("initial-exec")));
  if (__builtin_expect(!Real_free, 0)) {
    if (Resolving)
      return; // dlsym freeing while we resolve free: leak it, once
    Resolving = 1;
    Real_free = resolve<decltype(Real_free)>("free");
    Resolving = 0;
  }
  if (P && InitState.load(std::memory_order_relaxed) == Ready && !InRuntime && !Passive &&
      Real_malloc_usable_size)
    beforeBlockFreed(reinterpret_cast<uintptr_t>(P), Real_malloc_usable_size(P));
  Real_free(P);
}

SNAG_EXPORT int munmap(void *P, size_t Len) {
  if (InitState.load(std::memory_order_relaxed) == Ready && !InRuntime && !Passive)
    beforeBlockFreed(reinterpret_cast<uintptr_t>(P), Len);
  return REAL(munmap)(P, Len);
}

} // extern "C"

__attribute__((constructor)) static void snagRuntimeInit() {
  if (InitState.load() != Ready)
    initialize();
}

__attribute__((destructor)) static void snagRuntimeFini() { exitHook(); }
