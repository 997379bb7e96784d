//===- Core.h - The runtime core: threads, locks, graphs, findings --------===//
//
// Everything the interceptors call, as plain C++ that unit tests drive
// directly without preloading anything. An interceptor resolves its thread
// and lock, tells the core what is about to happen, calls the real function,
// and tells the core what happened.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUNTIME_CORE_H
#define SNAG_RUNTIME_CORE_H

#include "Platform.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <link.h>

namespace snag::rt {

//===--- Stacks -----------------------------------------------------------===//

struct ThreadState;

constexpr int MaxFrames = 64;

/// Return addresses, innermost first; arena-allocated, never freed.
struct StackTrace {
  uint32_t Depth;
  uintptr_t Pcs[1];
};

/// Captures the calling thread's stack, dropping the runtime's own frames.
/// Null when capture is not possible (the unwinder is not ready).
StackTrace *captureStack();
/// The same, into \p Into (room for MaxFrames) when given, else into
/// memory from the pool. Returns the stack, or null.
StackTrace *captureStackInto(StackTrace *Into);
/// Gives a stack from captureStack back to the pool.
void freeStack(StackTrace *S);
/// The calling thread's wait stack, in its own reused buffer.
StackTrace *captureWaitStack(ThreadState *T);
/// The unwinder to use (glibc's backtrace); tests may leave it unset.
using BacktraceFn = int (*)(void **, int);
void setBacktrace(BacktraceFn Fn);
/// How loaded modules are listed for the report (the real dl_iterate_phdr,
/// not another tool's interceptor of it).
using DlIterateFn = int (*)(int (*)(struct dl_phdr_info *, size_t, void *), void *);
void setDlIterate(DlIterateFn Fn);

//===--- Threads and locks ------------------------------------------------===//

struct ThreadState;

enum class LockKind : uint8_t { Mutex, RecursiveMutex, ErrorCheckMutex, RWLock, Spin };

struct LockNode;

/// What the contention profile counts of one lock (snag run --profile).
/// Times are in the profile clock's ticks (see profileNow).
struct LockStats {
  std::atomic<uint64_t> Acquisitions{0};
  std::atomic<uint64_t> Contended{0}; // acquisitions that had to wait
  std::atomic<uint64_t> WaitTotal{0};
  std::atomic<uint64_t> WaitMax{0};
  std::atomic<uint64_t> HoldTotal{0};
  std::atomic<uint64_t> HoldMax{0};
};

struct LockInfo {
  uintptr_t Addr = 0;
  uint32_t Id = 0;
  LockKind Kind = LockKind::Mutex;
  std::atomic<bool> Destroyed{false};
  /// The thread that holds it exclusively, or null.
  std::atomic<ThreadState *> Writer{nullptr};
  std::atomic<uint32_t> Readers{0};
  /// Condition-variable waiters, when this record stands for a condvar.
  std::atomic<int32_t> CondWaiters{0};
  /// Recursion depth of the writer; only the writer touches it.
  uint32_t Recursion = 0;
  /// How the object is told from a new one at its address: 0, 1 or 2
  /// identity words (see lockAt).
  uint8_t IdentityWordCount = 0;
  /// The lock's node in the lock-order graph, once an edge names it (graph
  /// lock). The node outlives the record when the lock's memory goes.
  LockNode *Node = nullptr;
  /// The next live record whose lock lies on the same memory page (the
  /// record table's lock): freeing memory finds the locks inside it.
  LockInfo *NextOnPage = nullptr;
  /// Only written while the profile is on.
  LockStats Stats;

  bool recursive() const { return Kind == LockKind::RecursiveMutex; }
};

struct HeldLock {
  LockInfo *Lock;
  bool Shared;
  /// The held-lock chain up to and including this lock, hashed (Linux
  /// lockdep's chain key): equal keys, equal sequences of held locks. 0
  /// until computed; a nonzero key is valid (every change to the held locks
  /// below it clears it).
  uint64_t Chain;
  /// When it was taken, in profile ticks (profile on only).
  uint64_t Since;
};

constexpr uint64_t ChainSeed = 0x736e6167636861ull;
inline uint64_t chainStep(uint64_t Prev, uint32_t LockId, bool Shared) {
  uint64_t X = (Prev ^ ((static_cast<uint64_t>(LockId) << 1) | Shared)) * 0x9E3779B97F4A7C15ull;
  return (X ^ (X >> 31)) | 1;
}

enum class BlockState : uint8_t {
  Running,
  Lock, // waiting for WaitLock with no time limit
  Cond, // in an untimed condition-variable wait
  Join, // joining WaitThread with no time limit
  Timed, // in a wait that will time out by itself, or that another
         // process may end (a process-shared object)
  Destroy // destroying a condition variable that threads wait on
};

struct ThreadState {
  uint32_t Id = 0;  // T0 is the first thread seen, normally main
  int OsTid = 0;
  uintptr_t Handle = 0; // pthread_t
  bool Internal = false; // a helper thread of snag or another tool
  bool CreatedHere = false;
  bool IsMain = false;
  bool GoneAtFork = false;

  // Locks held, in acquisition order. Only the owner writes.
  HeldLock *Held = nullptr;
  uint32_t HeldCount = 0;
  uint32_t HeldCapacity = 0;

  // Lock-order edges this thread has taken that can no longer change as
  // far as it is concerned: a repeat costs one compare, no table lookup.
  static constexpr int EdgeCacheSize = 32;
  uint64_t EdgeCache[EdgeCacheSize] = {};

  // What the thread waits for; others read this for the wait-for graph.
  std::atomic<BlockState> Block{BlockState::Running};
  std::atomic<LockInfo *> WaitLock{nullptr};
  /// The address of the lock or condition variable waited on.
  std::atomic<uintptr_t> WaitAddr{0};
  std::atomic<ThreadState *> WaitThread{nullptr};
  std::atomic<uint32_t> WaitEpoch{0};
  std::atomic<uint64_t> BlockSince{0};
  std::atomic<StackTrace *> BlockStack{nullptr};
  /// Inside the real wait call: the only time a stack request may interrupt
  /// the thread (see requestWaitStack).
  std::atomic<bool> InRealWait{false};
  uint32_t StackRequestedEpoch = 0;

  StackTrace *CreateStack = nullptr;
  /// Where this thread's wait stacks are captured: one buffer reused for
  /// every wait, so that a server whose threads wait all day stays flat.
  StackTrace *WaitStackBuffer = nullptr;
  uint32_t ParentId = 0;
  void *(*StartRoutine)(void *) = nullptr;
  void *StartArg = nullptr;

  std::atomic<bool> Started{false};
  std::atomic<bool> Exited{false};
  std::atomic<bool> Joined{false};
  std::atomic<bool> Detached{false};
  std::atomic<bool> BeingJoined{false};
  /// Finished detached threads whose records wait for the OS thread to be
  /// gone before they are reused (registry lock).
  ThreadState *NextZombie = nullptr;
};

/// The calling thread's record, registered on first use.
extern __thread ThreadState *CurrentThreadTls __attribute__((tls_model("initial-exec")));
ThreadState *currentThreadSlow();
inline ThreadState *currentThread() {
  ThreadState *T = CurrentThreadTls;
  return __builtin_expect(T != nullptr, 1) ? T : currentThreadSlow();
}
/// The calling thread's record if it has one (never registers).
inline ThreadState *currentThreadIfKnown() { return CurrentThreadTls; }
/// For tests: make \p T the calling thread's record.
void setCurrentThread(ThreadState *T);
/// Registers a thread that snag did not see start (main, or a thread that
/// existed before the runtime did).
ThreadState *registerThread(bool IsMain);
ThreadState *findThreadByHandle(uintptr_t Handle);
/// Threads that are running (internal helpers excluded).
int liveThreadCount();

/// The record for the lock at \p Addr. \p IdentityWord, when given, is a
/// word inside the lock object that the lock implementation never uses: a
/// seal written there tells the same object from a new one constructed at a
/// reused address (std::mutex never calls init or destroy).
/// With two words, the record's address is kept there too and no table
/// lookup is needed (the mutex fast path); with one, the seal only.
LockInfo *lockAtSlow(uintptr_t Addr, LockKind Kind, uintptr_t *IdentityWords,
                     int WordCount);
extern uintptr_t LockSalt;
inline uintptr_t lockSeal(uintptr_t Info, uintptr_t Addr) {
  return (((Info ^ LockSalt) * 0x9E3779B97F4A7C15ull) ^ Addr) | 1;
}
inline LockInfo *lockAt(uintptr_t Addr, LockKind Kind, uintptr_t *IdentityWords,
                        int WordCount) {
  if (__builtin_expect(WordCount == 2, 1)) {
    uintptr_t P = __atomic_load_n(&IdentityWords[1], __ATOMIC_RELAXED);
    if (__builtin_expect(P && __atomic_load_n(&IdentityWords[0], __ATOMIC_RELAXED) ==
                                  lockSeal(P, Addr),
                         1))
      return reinterpret_cast<LockInfo *>(P);
  }
  return lockAtSlow(Addr, Kind, IdentityWords, WordCount);
}
/// pthread_*_init and *_destroy: the object at \p Addr starts or ends a life.
void onLockCreated(uintptr_t Addr, uintptr_t *IdentityWords, int WordCount);
void onLockDestroyed(ThreadState *T, uintptr_t Addr, uintptr_t *IdentityWords,
                     int WordCount);
/// free(): reports a block that holds a lock the freeing thread holds.
void onFree(ThreadState *T, uintptr_t Begin, size_t Size);
/// free(), munmap(), operator delete: the locks whose objects lay in
/// [Begin, Begin + Size) are gone without a destroy call. Their records are
/// given back; what the lock-order graph needs of them stays, so a lock
/// later made at the same address is a new lock. Cheap when the memory
/// held no lock (one bitmap test per page).
void onMemoryFreed(uintptr_t Begin, size_t Size);

//===--- Lock events ------------------------------------------------------===//

enum class Acquire : uint8_t { Blocking, Try, Timed };

/// Before the real lock call: double-lock, locks orphaned by a fork, and
/// the lock-order edges from every held lock. May report and end the process.
void beforeLockSlow(ThreadState *T, LockInfo *L, bool Shared, Acquire How);
extern bool ForkedWithThreads;
inline void beforeLock(ThreadState *T, LockInfo *L, bool Shared, Acquire How) {
  // The common case: a free lock, nothing held, no fork child to watch.
  if (__builtin_expect(!L->Writer.load(std::memory_order_relaxed) && !T->HeldCount &&
                           !ForkedWithThreads,
                       1))
    return;
  beforeLockSlow(T, L, Shared, How);
}
/// The contention profile is on (profile option): every lock and unlock
/// takes the slow path, which counts and times it.
extern bool Profiling;
/// After it: on success the lock is held.
void afterLockSlow(ThreadState *T, LockInfo *L, bool Shared, bool Acquired);
inline void afterLock(ThreadState *T, LockInfo *L, bool Shared, bool Acquired) {
  if (__builtin_expect(Acquired && !Shared && T->HeldCount < T->HeldCapacity &&
                           L->Id != 0 && !Profiling &&
                           !L->Writer.load(std::memory_order_relaxed),
                       1)) {
    L->Writer.store(T, std::memory_order_relaxed);
    L->Recursion = 1;
    // The chain key is computed when the next acquisition needs it.
    T->Held[T->HeldCount++] = HeldLock{L, false, 0, 0};
    return;
  }
  afterLockSlow(T, L, Shared, Acquired);
}
/// Before the real unlock: reports unlock-not-held, updates the held set.
/// Returns false for an unlock of a lock the thread does not hold.
bool beforeUnlockSlow(ThreadState *T, LockInfo *L);
inline bool beforeUnlock(ThreadState *T, LockInfo *L) {
  // The common case: the last lock taken, held once, exclusively.
  uint32_t N = T->HeldCount;
  if (__builtin_expect(N && T->Held[N - 1].Lock == L && !T->Held[N - 1].Shared &&
                           L->Recursion == 1 && !Profiling,
                       1)) {
    L->Recursion = 0;
    L->Writer.store(nullptr, std::memory_order_relaxed);
    T->HeldCount = N - 1;
    return true;
  }
  return beforeUnlockSlow(T, L);
}

/// A blocking acquisition that could not be had at once: the thread now
/// waits for \p L. Checks the wait-for graph (may report and end the
/// process) and starts the watchdog.
/// \p ProcessShared: the lock may be held by another process, so the wait
/// never counts as stuck.
void beginLockWait(ThreadState *T, LockInfo *L, bool ProcessShared);
/// pthread_cond_destroy on a condition variable that threads wait on:
/// reports it; the real call (which glibc makes wait for the waiters) is
/// then made as it is. If it never returns and no other thread can go on,
/// the watchdog ends the process.
void beginDestroyWait(ThreadState *T, LockInfo *Cond);
/// The wait goes on (called every few tens of milliseconds): records the
/// waiter's stack for the report, once.
void continueWait(ThreadState *T);
void endWait(ThreadState *T);

/// Condition variables: the mutex is released for the wait and taken again.
void beforeCondWait(ThreadState *T, LockInfo *Cond, LockInfo *Mutex, bool Timed);
void afterCondWait(ThreadState *T, LockInfo *Cond, LockInfo *Mutex);
/// Whether destroying the condvar now would wait forever for its waiters.
bool condHasWaiters(LockInfo *Cond);

//===--- Contention profile -----------------------------------------------===//

/// The profile clock: the CPU's time-stamp counter where there is one
/// (a few nanoseconds to read), converted to nanoseconds when written.
inline uint64_t profileNow() {
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_ia32_rdtsc();
#else
  return nowNs();
#endif
}
/// Starts the profile (the profile option).
void startProfile();
/// A blocking acquisition of \p L that could not be had at once waited
/// \p Ticks; \p CallSite is the return address of the program's lock call.
void profileContended(LockInfo *L, uint64_t Ticks, uintptr_t CallSite);
/// Writes the profile record of this process (at exit, or before exec).
/// Once per process image.
void writeProfile();

//===--- Thread events ----------------------------------------------------===//

/// Before pthread_create: the record of the thread to be.
ThreadState *beforeCreate(ThreadState *Parent, bool Detached, bool Internal);
void afterCreate(ThreadState *Child, bool Created, uintptr_t Handle);
/// First thing the new thread does.
void onThreadStart(ThreadState *Self);
void onThreadExit(ThreadState *Self);
void beforeJoin(ThreadState *T, ThreadState *Target, bool Timed);
void afterJoin(ThreadState *T, ThreadState *Target, bool Joined);
void onDetach(ThreadState *Target);

/// fork: take the runtime's locks across it, then repair the child.
void beforeFork(ThreadState *T);
void afterForkParent(ThreadState *T);
void afterForkChild(ThreadState *T);

/// main returned or exit() was called: report threads left behind. Once.
void onProcessExit();

//===--- Findings ---------------------------------------------------------===//

/// Where finished finding records go. The default writes the per-process
/// report file; unit tests capture the text instead.
using FindingSink = void (*)(const char *Text, size_t Len);
void setFindingSink(FindingSink Sink);
/// Ends the process when options allow, after a finding that leaves it stuck.
void haltAfterFinding(const char *Why);
/// The process's identity changed (fork child): open a new report file.
void resetReportFile();
/// Creates this process's report file at start-up, so that snag run knows
/// every process it observed; a passive one (ignore_exe) says so.
void announceProcess(bool Passive);
/// The process is about to exec \p Path; \p Preloaded says whether the new
/// program's environment still preloads the runtime. Failed execs are
/// recorded too, so that snag run expects no report from them.
void recordExec(const char *Path, bool Preloaded);
void recordExecFailed();

/// How the core starts its watchdog thread without going through the
/// interceptors (the real pthread_create). Unset in unit tests.
using HelperStarter = void (*)(void *(*Main)(void *));
void setHelperStarter(HelperStarter Fn);
/// One watchdog round at time \p NowNs: reports and returns true when every
/// thread has been blocked for watchdog_ms.
bool watchdogCheck(uint64_t NowNs);
/// Whether an address lies in memory another process may share: a wait on
/// an object there may be ended by that process, so it is not stuck. The
/// default reads /proc/self/maps; unit tests substitute their own.
using SharedMemoryQuery = bool (*)(uintptr_t Addr);
void setSharedMemoryQuery(SharedMemoryQuery Fn);
/// Condition-variable and join waits are cheap to enter: their stacks are
/// taken only when a report may need them, by asking the waiting thread
/// (the interceptors send it a signal whose handler calls
/// captureWaitStackInHandler). Unset in unit tests.
using StackRequester = bool (*)(ThreadState *T);
void setStackRequester(StackRequester Fn);
/// Asks a blocked thread for its stack, once per wait; false if it cannot.
bool requestWaitStack(ThreadState *T);
/// The signal handler's half: records the interrupted wait's stack.
void captureWaitStackInHandler();
/// Mixed into lock seals; set once per process from a random source.
void setLockSalt(uintptr_t Salt);

/// Records in use and free, for tests and benchmarks of memory.
struct RecordCounts {
  size_t LocksFree;
  size_t ThreadsFree;
};
RecordCounts recordCounts();
/// Nodes the lock-order graph keeps for locks whose memory is gone.
size_t deadLockNodes();

/// Resets all runtime state (unit tests only).
void resetForTesting();

} // namespace snag::rt

#endif
