//===- Threads.cpp - Thread registry, thread events, fork and exit --------===//
#include "CoreInternal.h"
#include "Options.h"

#include <cerrno>
#include <sys/syscall.h>
#include <unistd.h>

namespace snag::rt {

bool ForkedWithThreads = false;
int ThreadsAtFork = 0;

__thread ThreadState *CurrentThreadTls __attribute__((tls_model("initial-exec")));

namespace {


SpinLock RegistryLock;
// Threads that may still matter: running, or finished but never joined nor
// detached. Joined and finished-detached threads are dropped from it, so a
// program that starts millions of short threads keeps it small.
ThreadState **Registry;
int RegistryCount;
int RegistryCapacity;
std::atomic<uint32_t> NextThreadId{0};
std::atomic<int> LiveThreads{0};
std::atomic<bool> ExitChecked{false};

void addToRegistry(ThreadState *T) {
  SpinGuard G(RegistryLock);
  if (RegistryCount == RegistryCapacity) {
    int NewCapacity = RegistryCapacity ? RegistryCapacity * 2 : 256;
    auto **New = static_cast<ThreadState **>(
        arenaAlloc(sizeof(ThreadState *) * NewCapacity, alignof(ThreadState *)));
    for (int I = 0; I < RegistryCount; ++I)
      New[I] = Registry[I];
    Registry = New;
    RegistryCapacity = NewCapacity;
  }
  Registry[RegistryCount++] = T;
}

// Drops a thread that can no longer be part of any report. Registry lock held.
void dropIfDoneLocked(ThreadState *T) {
  if (!T->Exited.load() || !(T->Joined.load() || T->Detached.load()))
    return;
  for (int I = 0; I < RegistryCount; ++I)
    if (Registry[I] == T) {
      Registry[I] = Registry[--RegistryCount];
      return;
    }
}

RecordPool<ThreadState> ThreadRecords;
ThreadState *Zombies; // registry lock
int ZombieCount;

// Helper threads of snag or another tool (ThreadSanitizer's background
// thread) take no number: the program's threads are numbered alike with and
// without them.
constexpr uint32_t InternalThreadId = 0xffffffffu;

ThreadState *newThreadState(bool Internal) {
  // A recycled record keeps its held-lock array and wait-stack buffer.
  HeldLock *Held = nullptr;
  uint32_t Capacity = 0;
  StackTrace *WaitStack = nullptr;
  ThreadState *T = ThreadRecords.take([&](ThreadState *Old) {
    Held = Old->Held;
    Capacity = Old->HeldCapacity;
    WaitStack = Old->WaitStackBuffer;
  });
  T->Held = Held;
  T->HeldCapacity = Capacity;
  T->WaitStackBuffer = WaitStack;
  T->Id = Internal ? InternalThreadId : NextThreadId.fetch_add(1);
  return T;
}

// A thread that is gone for good and referred to by nothing: no lock it
// held, no registry entry. Its record is reused.
bool releasable(const ThreadState *T) {
  return T->Exited.load() && (T->Joined.load() || T->Detached.load()) && !T->HeldCount &&
         !T->Internal && !T->IsMain && !T->GoneAtFork && T->CreatedHere;
}

void releaseThread(ThreadState *T) {
  freeStack(T->CreateStack);
  T->CreateStack = nullptr;
  ThreadRecords.give(T);
}

// Whether the OS thread \p Tid of this process has ended.
bool osThreadGone(int Tid) {
  int SavedErrno = errno;
  long R = syscall(SYS_tgkill, sysGetpid(), Tid, 0);
  bool Gone = R != 0 && errno == ESRCH;
  errno = SavedErrno;
  return Gone;
}

// Detached threads that finished: their records are reused once the OS
// thread is gone (it may still run TLS destructors that lock).
void reapZombies() {
  ThreadState *Done[16];
  int N = 0;
  {
    SpinGuard G(RegistryLock);
    for (ThreadState **P = &Zombies; *P && N < 16;) {
      ThreadState *Z = *P;
      if (osThreadGone(Z->OsTid)) {
        *P = Z->NextZombie;
        --ZombieCount;
        if (!Z->GoneAtFork) // a fork child's locks may still name it
          Done[N++] = Z;
      } else {
        P = &Z->NextZombie;
      }
    }
  }
  for (int I = 0; I < N; ++I)
    releaseThread(Done[I]);
}

// Registry lock held.
void becomeZombieLocked(ThreadState *T) {
  if (!releasable(T) || T->NextZombie || Zombies == T)
    return;
  T->NextZombie = Zombies;
  Zombies = T;
  ++ZombieCount;
}

void markExited(ThreadState *T) {
  if (T->Exited.exchange(true))
    return;
  if (!T->Internal)
    LiveThreads.fetch_sub(1);
  SpinGuard G(RegistryLock);
  dropIfDoneLocked(T);
  if (T->Detached.load())
    becomeZombieLocked(T);
}

} // namespace

void lockRegistry() { RegistryLock.lock(); }
void unlockRegistry() { RegistryLock.unlock(); }
ThreadState **registeredThreads(int &Count) {
  Count = RegistryCount;
  return Registry;
}

ThreadState *registerThread(bool IsMain) {
  ThreadState *T = newThreadState(false);
  T->IsMain = IsMain;
  T->OsTid = sysGettid();
  T->Started.store(true);
  LiveThreads.fetch_add(1);
  addToRegistry(T);
  CurrentThreadTls = T;
  return T;
}

ThreadState *currentThreadSlow() { return registerThread(sysGettid() == sysGetpid()); }

void setCurrentThread(ThreadState *T) { CurrentThreadTls = T; }

ThreadState *findThreadByHandle(uintptr_t Handle) {
  SpinGuard G(RegistryLock);
  for (int I = RegistryCount - 1; I >= 0; --I)
    if (Registry[I]->Handle == Handle && !Registry[I]->Joined.load())
      return Registry[I];
  return nullptr;
}

int liveThreadCount() { return LiveThreads.load(std::memory_order_relaxed); }

ThreadState *beforeCreate(ThreadState *Parent, bool Detached, bool Internal) {
  ThreadState *T = newThreadState(Internal);
  T->CreatedHere = true;
  T->Internal = Internal;
  T->ParentId = Parent ? Parent->Id : 0;
  T->Detached.store(Detached);
  if (!Internal && ZombieCount)
    reapZombies();
  if (!Internal) {
    T->CreateStack = captureStack();
    // Counted before the thread exists, so that nothing the parent does
    // after pthread_create returns looks single-threaded.
    LiveThreads.fetch_add(1);
  }
  if (Parent && !Internal && ForkedWithThreads && options().detect_fork) {
    FindingWriter W("fork-with-threads");
    W.message().str("the child of a fork made while ").dec(ThreadsAtFork)
        .str(" threads ran starts a thread before exec: only async-signal-safe "
             "calls are safe there, and locks other threads held at the fork "
             "stay held forever");
    W.stack("thread starts in the fork child", T->CreateStack);
    ForkedWithThreads = false; // one report per child
  }
  return T;
}

void afterCreate(ThreadState *Child, bool Created, uintptr_t Handle) {
  if (!Created) {
    if (!Child->Internal)
      LiveThreads.fetch_sub(1);
    return;
  }
  Child->Handle = Handle;
  addToRegistry(Child);
}

void onThreadStart(ThreadState *Self) {
  Self->OsTid = sysGettid();
  Self->Started.store(true);
  CurrentThreadTls = Self;
}

void onThreadExit(ThreadState *Self) {
  if (Self)
    markExited(Self);
}

void beforeJoin(ThreadState *T, ThreadState *Target, bool Timed) {
  if (!Target)
    return;
  Target->BeingJoined.store(true);
  T->BlockStack.store(nullptr);
  T->WaitThread.store(Target);
  T->BlockSince.store(nowNs());
  T->WaitEpoch.fetch_add(1);
  T->Block.store(Timed ? BlockState::Timed : BlockState::Join);
  if (!Timed)
    startWatchdog();
}

void afterJoin(ThreadState *T, ThreadState *Target, bool Joined) {
  if (!Target)
    return;
  T->Block.store(BlockState::Running);
  T->WaitThread.store(nullptr);
  T->WaitEpoch.fetch_add(1);
  if (!Joined) {
    Target->BeingJoined.store(false);
    return;
  }
  Target->Joined.store(true);
  markExited(Target);
  {
    SpinGuard G(RegistryLock);
    dropIfDoneLocked(Target);
  }
  // Joined: the OS thread is gone, and nothing refers to the record.
  if (releasable(Target))
    releaseThread(Target);
}

void onDetach(ThreadState *Target) {
  if (!Target)
    return;
  Target->Detached.store(true);
  SpinGuard G(RegistryLock);
  dropIfDoneLocked(Target);
  if (Target->Exited.load())
    becomeZombieLocked(Target);
}

void beforeFork(ThreadState *T) {
  // Nothing of the runtime's may be mid-update when the child's copy is made.
  lockRecordTable();
  lockGraph();
  lockReports();
  RegistryLock.lock();
}

void afterForkParent(ThreadState *T) {
  RegistryLock.unlock();
  unlockReports(false);
  unlockGraph(false);
  unlockRecordTable(false);
}

void afterForkChild(ThreadState *T) {
  RegistryLock.reset();
  unlockReports(true);
  unlockGraph(true);
  unlockRecordTable(true);
  resetReportFile();
  resetProfile();
  resetDeadlockState(true);
  int Others = 0;
  int Kept = 0;
  for (int I = 0; I < RegistryCount; ++I) {
    ThreadState *Other = Registry[I];
    if (Other == T) {
      Registry[Kept++] = Other;
      continue;
    }
    if (!Other->Internal && !Other->Exited.load())
      ++Others;
    // Other threads do not exist in the child; their records stay reachable
    // from the locks they held, which is how an orphaned lock is recognised.
    Other->GoneAtFork = true;
    Other->Exited.store(true);
  }
  RegistryCount = Kept;
  LiveThreads.store(1);
  ThreadsAtFork = Others + 1;
  ForkedWithThreads = Others > 0;
  ForkChildLockReported = false;
  ExitChecked.store(false);
}

bool exitChecked() { return ExitChecked.load(); }

void onProcessExit() {
  if (ExitChecked.exchange(true) || !options().report_threads_at_exit)
    return;
  ThreadState *Self = CurrentThreadTls;
  // Snapshot under the lock, report outside it (reporting captures nothing
  // new, but the sink may be slow).
  int N = 0;
  ThreadState **Snapshot;
  {
    SpinGuard G(RegistryLock);
    Snapshot = static_cast<ThreadState **>(
        arenaAlloc(sizeof(ThreadState *) * (RegistryCount + 1), alignof(ThreadState *)));
    for (int I = 0; I < RegistryCount; ++I)
      Snapshot[N++] = Registry[I];
  }
  // Threads left waiting show where they wait: ask them, then give them a
  // moment to answer.
  bool Asked = false;
  for (int I = 0; I < N; ++I) {
    ThreadState *T = Snapshot[I];
    if (T != Self && T->CreatedHere && !T->Internal && !T->GoneAtFork &&
        !T->Exited.load() && !T->BlockStack.load())
      Asked |= requestWaitStack(T);
  }
  for (int Wait = 0; Asked && Wait < 20; ++Wait) {
    bool Missing = false;
    for (int I = 0; I < N; ++I)
      Missing |= Snapshot[I]->InRealWait.load() && !Snapshot[I]->BlockStack.load() &&
                 Snapshot[I]->StackRequestedEpoch == Snapshot[I]->WaitEpoch.load();
    if (!Missing)
      break;
    sysSleepMs(5);
  }
  for (int I = 0; I < N; ++I) {
    ThreadState *T = Snapshot[I];
    if (T == Self || !T->CreatedHere || T->Internal || T->GoneAtFork)
      continue;
    if (T->Joined.load() || T->BeingJoined.load())
      continue;
    if (!T->Detached.load()) {
      FindingWriter W("missing-join");
      W.message().str("thread ");
      threadName(W.message(), T);
      W.message().str(T->Exited.load() ? " finished but was never joined nor "
                                         "detached: its resources leak until exit"
                                       : " is still running at exit and was never "
                                         "joined nor detached: it is killed "
                                         "mid-work when the process ends");
      W.stackTitle().str("thread ");
      threadName(W.stackTitle(), T);
      W.stackTitle().str(" created here");
      W.stackWithTitle(T->CreateStack);
      continue;
    }
    if (!T->Exited.load()) {
      FindingWriter W("leaked-thread");
      W.message().str("detached thread ");
      threadName(W.message(), T);
      W.message().str(" is still running at exit: nothing waits for it or "
                      "stops it, so it is killed mid-work when the process ends");
      if (T->Block.load() != BlockState::Running)
        W.message().str(" (it is blocked waiting)");
      W.stackTitle().str("thread ");
      threadName(W.stackTitle(), T);
      W.stackTitle().str(" created here");
      W.stackWithTitle(T->CreateStack);
      if (StackTrace *S = T->BlockStack.load()) {
        W.stackTitle().str("thread ");
        threadName(W.stackTitle(), T);
        W.stackTitle().str(" is waiting here");
        W.stackWithTitle(S);
      }
    }
  }
}

void resetThreadsForTesting() {
  RegistryCount = 0;
  Zombies = nullptr;
  ZombieCount = 0;
  NextThreadId.store(0);
  LiveThreads.store(0);
  ExitChecked.store(false);
  ForkedWithThreads = false;
  CurrentThreadTls = nullptr;
}

} // namespace snag::rt

namespace snag::rt {
void resetLocksForTesting();
RecordCounts recordCounts() { return {freeLockRecords(), ThreadRecords.freeCount()}; }

void resetForTesting() {
  resetThreadsForTesting();
  resetLocksForTesting();
  resetLockOrder();
  resetDeadlockState(false);
  setSharedMemoryQuery(nullptr);
  resetProfile();
  Profiling = false;
}
} // namespace snag::rt
