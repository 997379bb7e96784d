//===- Deadlock.cpp - Actual deadlocks: wait-for cycles and the watchdog --===//
//
// Two ways a run gets stuck for good:
//  - a cycle in the wait-for graph (thread -> lock it waits for -> thread
//    that holds it, or thread -> thread it joins). The last thread to close
//    the cycle sees it before it blocks: each waiter publishes what it waits
//    for before it looks at the others, so of two threads closing a cycle at
//    once at least one sees the other.
//  - every thread blocked with no time limit (locks, condition variables,
//    joins) for watchdog_ms: a lost wakeup, a leaked lock, a cycle through
//    something the runtime cannot see into.
// Either way the report names what every thread waits for and holds, with
// its stack, and the process is ended (halt_on_deadlock).
//
//===----------------------------------------------------------------------===//
#include "CoreInternal.h"
#include "Options.h"

namespace snag::rt {

namespace {

std::atomic<bool> WatchdogStarted{false};
std::atomic<bool> DeadlockReported{false};
bool DestroyAfterExit = false;
HelperStarter StartHelper = nullptr;
SharedMemoryQuery InSharedMemory = sysAddressInSharedMapping;
StackRequester RequestStack = nullptr;

// Waits a little for a blocked thread to publish its stack (waiters do so
// after their first timed slice).
StackTrace *waitForStack(ThreadState *T) {
  requestWaitStack(T);
  for (int I = 0; I < 40; ++I) {
    if (StackTrace *S = T->BlockStack.load())
      return S;
    if (T->Block.load() == BlockState::Running)
      return nullptr;
    sysSleepMs(10);
  }
  return T->BlockStack.load();
}

// A thread in an untimed wait on a lock or condition variable that lies in
// shared memory. Such waits count as stuck like any other: the object was
// made process-private (a process-shared one's waits never count), and a
// private object's wake-ups go through process-private futexes, which
// another process's unlock or signal never reaches.
bool privateWaitInSharedMemory(ThreadState *T) {
  BlockState S = T->Block.load();
  if (S != BlockState::Lock && S != BlockState::Cond)
    return false;
  uintptr_t Addr = T->WaitAddr.load(std::memory_order_relaxed);
  return Addr && InSharedMemory(Addr);
}

bool privateWaitInSharedMemory() {
  bool Any = false;
  forEachThread([&](ThreadState *T) {
    Any = Any || (!T->Internal && !T->Exited.load() && privateWaitInSharedMemory(T));
  });
  return Any;
}

void describeThread(FindingWriter &W, ThreadState *T, bool WaitForStack) {
  TextBuffer &B = W.stackTitle();
  B.str("thread ");
  threadName(B, T);
  BlockState S = T->Block.load();
  LockInfo *L = T->WaitLock.load();
  ThreadState *J = T->WaitThread.load();
  switch (S) {
  case BlockState::Lock:
    B.str(" waits for ");
    if (L) {
      lockName(B, L);
      if (ThreadState *H = L->Writer.load())
        threadName(B.str(" held by thread "), H);
    }
    break;
  case BlockState::Cond:
    B.str(" waits on a condition variable");
    break;
  case BlockState::Join:
    B.str(" waits to join thread ");
    if (J)
      threadName(B, J);
    break;
  case BlockState::Timed:
    B.str(" is in a timed wait");
    break;
  case BlockState::Destroy:
    B.str(" destroys a condition variable that threads wait on");
    break;
  case BlockState::Running:
    B.str(" is running");
    break;
  }
  uint32_t Held = T->HeldCount;
  if (Held && T->Held) {
    B.str(", holding ");
    for (uint32_t I = 0; I < Held && I < 8; ++I) {
      if (I)
        B.str(", ");
      lockName(B, T->Held[I].Lock);
    }
    if (Held > 8)
      B.str(", ...");
  }
  if (privateWaitInSharedMemory(T))
    B.str(" (in shared memory, but not made PTHREAD_PROCESS_SHARED)");
  StackTrace *Stack = nullptr;
  if (T == currentThread())
    Stack = captureWaitStack(T);
  else if (S != BlockState::Running)
    Stack = WaitForStack ? waitForStack(T) : T->BlockStack.load();
  W.stackWithTitle(Stack);
}

void writeEveryThread(FindingWriter &W, ThreadState **First, int FirstCount) {
  for (int I = 0; I < FirstCount; ++I)
    describeThread(W, First[I], true);
  int N;
  lockRegistry();
  ThreadState **All = registeredThreads(N);
  // Copy: describing may wait, and the registry lock must not be held then.
  auto **Copy = static_cast<ThreadState **>(
      arenaAlloc(sizeof(ThreadState *) * (N + 1), alignof(ThreadState *)));
  for (int I = 0; I < N; ++I)
    Copy[I] = All[I];
  unlockRegistry();
  for (int I = 0; I < N; ++I) {
    ThreadState *T = Copy[I];
    if (T->Internal || T->Exited.load())
      continue;
    bool Listed = false;
    for (int K = 0; K < FirstCount; ++K)
      Listed |= First[K] == T;
    if (!Listed)
      describeThread(W, T, false);
  }
}

// The thread T's wait leads to, or null; stable reads only (see the file
// comment): the waiter's epoch must not change while we look.
ThreadState *nextInWaitFor(ThreadState *T, LockInfo *&Via) {
  uint32_t Epoch = T->WaitEpoch.load();
  BlockState S = T->Block.load();
  ThreadState *Next = nullptr;
  Via = nullptr;
  if (S == BlockState::Lock) {
    Via = T->WaitLock.load();
    Next = Via ? Via->Writer.load() : nullptr;
  } else if (S == BlockState::Join) {
    Next = T->WaitThread.load();
    if (Next && Next->Exited.load())
      Next = nullptr;
  }
  if (T->WaitEpoch.load() != Epoch || T->Block.load() != S)
    return nullptr;
  return Next;
}

void *watchdogMain(void *) {
  ThreadState *Self = arenaNew<ThreadState>();
  Self->Internal = true;
  setCurrentThread(Self);
  for (;;) {
    int Period = options().watchdog_ms / 4;
    sysSleepMs(Period < 10 ? 10 : (Period > 200 ? 200 : Period));
    if (DeadlockReported.load())
      continue;
    uint64_t Now = nowNs();
    // Waits that last may end in a report: get their stacks now, while
    // asking costs the waiter nothing it would notice.
    forEachThread([&](ThreadState *T) {
      BlockState S = T->Block.load();
      if (!T->Internal && (S == BlockState::Cond || S == BlockState::Join) &&
          Now - T->BlockSince.load() > 100000000ull)
        requestWaitStack(T);
    });
    watchdogCheck(Now);
  }
  return nullptr;
}

} // namespace

void setHelperStarter(HelperStarter Fn) { StartHelper = Fn; }
void setSharedMemoryQuery(SharedMemoryQuery Fn) {
  InSharedMemory = Fn ? Fn : sysAddressInSharedMapping;
}
void setStackRequester(StackRequester Fn) { RequestStack = Fn; }

bool requestWaitStack(ThreadState *T) {
  uint32_t Epoch = T->WaitEpoch.load();
  if (!RequestStack || T->BlockStack.load() || !T->InRealWait.load() ||
      T->StackRequestedEpoch == Epoch)
    return false;
  T->StackRequestedEpoch = Epoch;
  return RequestStack(T);
}

void captureWaitStackInHandler() {
  ThreadState *T = currentThreadIfKnown();
  // Only inside the real wait: anywhere else the thread may hold the
  // runtime's own locks (the arena's), which the capture needs.
  if (T && T->InRealWait.load() && !T->BlockStack.load())
    T->BlockStack.store(captureWaitStack(T));
}

void startWatchdog() {
  if (!options().detect_deadlocks || !StartHelper ||
      WatchdogStarted.load(std::memory_order_relaxed) || WatchdogStarted.exchange(true))
    return;
  StartHelper(watchdogMain);
}

void resetDeadlockState(bool InForkChild) {
  WatchdogStarted.store(false);
  DeadlockReported.store(false);
}

bool watchdogCheck(uint64_t Now) {
  uint64_t Limit = static_cast<uint64_t>(options().watchdog_ms) * 1000000ull;
  bool AllStuck = true;
  bool Destroying = false;
  int Counted = 0;
  forEachThread([&](ThreadState *T) {
    if (T->Internal || T->Exited.load() || !T->Started.load())
      return;
    ++Counted;
    BlockState S = T->Block.load();
    Destroying |= S == BlockState::Destroy;
    if (S != BlockState::Lock && S != BlockState::Cond && S != BlockState::Join &&
        S != BlockState::Destroy)
      AllStuck = false;
    else if (Now - T->BlockSince.load() < Limit)
      AllStuck = false;
  });
  if (!AllStuck || Counted == 0 || DeadlockReported.load())
    return false;
  if (DeadlockReported.exchange(true))
    return false;
  // One root cause, one finding: a destroy with waiters was reported when
  // it began; a fork child stuck on a lock that fork-with-threads already
  // reported is stuck because of that fork.
  if (Destroying) {
    haltAfterFinding(DestroyAfterExit ? "leaked-thread" : "mutex-destroyed-locked");
    return true;
  }
  if (ForkChildLockReported) {
    haltAfterFinding("fork-with-threads");
    return true;
  }
  FindingWriter W("deadlock");
  W.message().str("the run is stuck: every thread has been blocked for ")
      .dec(static_cast<uint64_t>(options().watchdog_ms))
      .str(" ms with no time limit (waiting for locks, condition variables or "
           "joins) and none can wake another");
  if (privateWaitInSharedMemory())
    W.message().str("; a wait is on an object in shared memory that was made without "
                    "PTHREAD_PROCESS_SHARED, so no other process can end it either (the "
                    "C library wakes such an object with a futex private to each process)");
  writeEveryThread(W, nullptr, 0);
  W.finish();
  haltAfterFinding("deadlock");
  return true;
}

void beginDestroyWait(ThreadState *T, LockInfo *Cond) {
  // At exit (a static condition variable's destructor), the waiters are
  // threads left running, each already reported as leaked or never joined:
  // the hang is theirs, and one root cause is one finding.
  DestroyAfterExit = exitChecked();
  if (!DestroyAfterExit) {
    FindingWriter W("mutex-destroyed-locked");
    W.lock(Cond);
    W.message().str("thread ");
    threadName(W.message(), T);
    W.message().str(" destroys condition variable ");
    lockName(W.message(), Cond);
    W.message().str(", which ").dec(static_cast<uint64_t>(Cond->CondWaiters.load()))
        .str(" thread(s) wait on: the C library waits for them to leave, which "
             "they may never do, and a destroyed condition variable wakes no one");
    W.stackTitle().str("thread ");
    threadName(W.stackTitle(), T);
    W.stackTitle().str(" destroys the condition variable");
    W.stackWithTitleHere();
    W.finish();
  }
  T->BlockStack.store(nullptr, std::memory_order_relaxed);
  T->WaitLock.store(nullptr);
  T->BlockSince.store(nowNs(), std::memory_order_relaxed);
  T->WaitEpoch.fetch_add(1);
  T->Block.store(BlockState::Destroy);
  startWatchdog();
}

void beginLockWait(ThreadState *T, LockInfo *L, bool ProcessShared) {
  T->BlockStack.store(nullptr, std::memory_order_relaxed);
  T->WaitLock.store(L);
  T->WaitAddr.store(L->Addr, std::memory_order_relaxed);
  T->BlockSince.store(nowNs(), std::memory_order_relaxed);
  T->WaitEpoch.fetch_add(1);
  T->Block.store(ProcessShared ? BlockState::Timed : BlockState::Lock);
  if (!options().detect_deadlocks || ProcessShared)
    return;
  startWatchdog();
  // Follow the wait-for chain from the lock's holder; a cycle back to T
  // is a deadlock that nothing in the process can break.
  ThreadState *Cycle[64];
  int Length = 0;
  Cycle[Length++] = T;
  ThreadState *Cur = L->Writer.load();
  if (Cur == T)
    return; // relocking its own lock: double-lock says it, or the call fails
  while (Cur && Length < 64) {
    if (Cur->GoneAtFork)
      return; // the fork child's lock problem: fork-with-threads says it
    if (Cur == T) {
      reportDeadlockCycle(T, Cycle, Length);
      return;
    }
    for (int I = 1; I < Length; ++I)
      if (Cycle[I] == Cur)
        return; // a cycle that does not include T: its own members report it
    Cycle[Length++] = Cur;
    LockInfo *Via;
    Cur = nextInWaitFor(Cur, Via);
  }
}

void continueWait(ThreadState *T) {
  if (!T->BlockStack.load(std::memory_order_relaxed))
    T->BlockStack.store(captureWaitStack(T));
}

void endWait(ThreadState *T) {
  T->Block.store(BlockState::Running);
  T->WaitLock.store(nullptr, std::memory_order_relaxed);
  T->WaitEpoch.fetch_add(1);
}

void reportDeadlockCycle(ThreadState *T, ThreadState **Cycle, int Length) {
  if (DeadlockReported.exchange(true))
    return;
  T->BlockStack.store(captureWaitStack(T));
  FindingWriter W("deadlock");
  TextBuffer &M = W.message();
  M.str("deadlock: ");
  for (int I = 0; I < Length; ++I) {
    ThreadState *Waiter = Cycle[I];
    LockInfo *L = Waiter->WaitLock.load();
    BlockState S = Waiter->Block.load();
    if (I)
      M.str(", ");
    M.str("thread ");
    threadName(M, Waiter);
    if (S == BlockState::Join) {
      M.str(" joins thread ");
      threadName(M, Cycle[(I + 1) % Length]);
    } else {
      M.str(" waits for ");
      if (L)
        lockName(M, L);
      M.str(" held by thread ");
      threadName(M, Cycle[(I + 1) % Length]);
    }
    if (L)
      W.lock(L);
  }
  M.str("; none of them can go on");
  writeEveryThread(W, Cycle, Length);
  W.finish();
  haltAfterFinding("deadlock");
}

} // namespace snag::rt
