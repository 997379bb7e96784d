//===- CoreTest.cpp - The runtime core, driven directly -------------------===//
//
// No preloading and no real threads: each test makes thread records, tells
// the core what they do, and reads the finding records it would write.
//
//===----------------------------------------------------------------------===//
#include "Core.h"
#include "Options.h"

#include <gtest/gtest.h>

#include <string>

using namespace snag::rt;

namespace {

std::string Written;
void capture(const char *Text, size_t Len) { Written.append(Text, Len); }

int count(const std::string &Rule) {
  int N = 0;
  std::string Needle = "finding\t" + Rule + "\n";
  for (size_t P = Written.find(Needle); P != std::string::npos; P = Written.find(Needle, P + 1))
    ++N;
  return N;
}

class CoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    resetForTesting();
    Written.clear();
    setFindingSink(capture);
    options() = Options();
    Main = registerThread(/*IsMain=*/true);
  }

  // A started thread, made current.
  ThreadState *start(bool Detached = false) {
    ThreadState *T = beforeCreate(Main, Detached, false);
    afterCreate(T, true, reinterpret_cast<uintptr_t>(T));
    onThreadStart(T);
    return T;
  }
  void finish(ThreadState *T) {
    onThreadExit(T);
    setCurrentThread(Main);
    beforeJoin(Main, T, false);
    afterJoin(Main, T, true);
  }

  // A lock known by address only (like a spin lock).
  LockInfo *lock(uintptr_t Addr) { return lockAt(Addr, LockKind::Mutex, nullptr, 0); }

  void take(ThreadState *T, LockInfo *L) {
    setCurrentThread(T);
    beforeLock(T, L, false, Acquire::Blocking);
    afterLock(T, L, false, true);
  }
  void release(ThreadState *T, LockInfo *L) { beforeUnlock(T, L); }
  void nest(ThreadState *T, LockInfo *A, LockInfo *B) {
    take(T, A);
    take(T, B);
    release(T, B);
    release(T, A);
  }

  ThreadState *Main = nullptr;
};

TEST_F(CoreTest, bad_InversionBetweenSequentialThreads) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000);
  ThreadState *T1 = start();
  nest(T1, A, B);
  finish(T1);
  ThreadState *T2 = start();
  nest(T2, B, A);
  finish(T2);
  EXPECT_EQ(count("lock-order-inversion"), 1) << Written;
}

TEST_F(CoreTest, bad_CycleOfThree) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000), *C = lock(0x3000);
  ThreadState *T1 = start(), *T2 = start(), *T3 = start();
  nest(T1, A, B);
  nest(T2, B, C);
  EXPECT_EQ(count("lock-order-inversion"), 0);
  nest(T3, C, A);
  EXPECT_EQ(count("lock-order-inversion"), 1) << Written;
}

TEST_F(CoreTest, ok_GateLock) {
  LockInfo *G = lock(0x500), *A = lock(0x1000), *B = lock(0x2000);
  ThreadState *T1 = start(), *T2 = start();
  take(T1, G);
  nest(T1, A, B);
  release(T1, G);
  take(T2, G);
  nest(T2, B, A);
  release(T2, G);
  EXPECT_EQ(count("lock-order-inversion"), 0) << Written;
}

TEST_F(CoreTest, bad_GateNotHeldEveryTime) {
  LockInfo *G = lock(0x500), *A = lock(0x1000), *B = lock(0x2000);
  ThreadState *T1 = start(), *T2 = start();
  take(T1, G);
  nest(T1, A, B);
  release(T1, G);
  take(T2, G);
  nest(T2, B, A);
  release(T2, G);
  nest(T2, B, A); // once without the gate: the orders can now interleave
  EXPECT_EQ(count("lock-order-inversion"), 1) << Written;
}

TEST_F(CoreTest, ok_OneThreadTakesBothOrders) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000);
  ThreadState *T1 = start();
  nest(T1, A, B);
  nest(T1, B, A);
  EXPECT_EQ(count("lock-order-inversion"), 0) << Written;
}

TEST_F(CoreTest, ok_SingleThreadedStartup) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000);
  nest(Main, A, B); // before any thread starts
  ThreadState *T1 = start();
  nest(T1, B, A);
  finish(T1);
  EXPECT_EQ(count("lock-order-inversion"), 0) << Written;
}

TEST_F(CoreTest, bad_StartupOrderRepeatedLater) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000);
  nest(Main, A, B);
  ThreadState *T1 = start();
  nest(T1, B, A);
  setCurrentThread(Main);
  nest(Main, A, B); // now with T1 running: the edge counts
  EXPECT_EQ(count("lock-order-inversion"), 1) << Written;
}

TEST_F(CoreTest, ok_TryLockAddsNoEdge) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000);
  ThreadState *T1 = start(), *T2 = start();
  nest(T1, A, B);
  take(T2, B);
  beforeLock(T2, A, false, Acquire::Try);
  afterLock(T2, A, false, true);
  EXPECT_EQ(count("lock-order-inversion"), 0) << Written;
}

TEST_F(CoreTest, ok_AddressReuseIsANewLock) {
  // Two mutex objects whose spare words carry the seal, as in a
  // pthread_mutex_t; zeroing them is what a constructor does.
  uintptr_t First[2] = {0, 0}, Second[2] = {0, 0};
  ThreadState *T1 = start(), *T2 = start();
  LockInfo *A = lockAt(0x1000, LockKind::Mutex, First, 2);
  LockInfo *B = lockAt(0x2000, LockKind::Mutex, Second, 2);
  EXPECT_EQ(A, lockAt(0x1000, LockKind::Mutex, First, 2));
  nest(T1, A, B);
  // Both freed; new mutexes constructed at the same addresses.
  First[0] = First[1] = Second[0] = Second[1] = 0;
  LockInfo *A2 = lockAt(0x1000, LockKind::Mutex, First, 2);
  LockInfo *B2 = lockAt(0x2000, LockKind::Mutex, Second, 2);
  EXPECT_NE(A, A2);
  EXPECT_NE(B, B2);
  nest(T2, B2, A2);
  EXPECT_EQ(count("lock-order-inversion"), 0) << Written;
}

TEST_F(CoreTest, ok_SealSurvivesOnlyAtItsAddress) {
  uintptr_t Words[2] = {0, 0};
  LockInfo *A = lockAt(0x1000, LockKind::Mutex, Words, 2);
  // The same words seen at another address (a copied object): a new lock.
  EXPECT_NE(A, lockAt(0x3000, LockKind::Mutex, Words, 2));
}

TEST_F(CoreTest, bad_DoubleLock) {
  LockInfo *A = lock(0x1000);
  ThreadState *T1 = start();
  take(T1, A);
  beforeLock(T1, A, false, Acquire::Blocking);
  EXPECT_EQ(count("double-lock"), 1) << Written;
}

TEST_F(CoreTest, ok_RecursiveRelock) {
  LockInfo *R = lockAt(0x1000, LockKind::RecursiveMutex, nullptr, 0);
  ThreadState *T1 = start();
  take(T1, R);
  take(T1, R);
  release(T1, R);
  release(T1, R);
  EXPECT_EQ(Written, "");
  EXPECT_EQ(T1->HeldCount, 0u);
}

TEST_F(CoreTest, bad_UnlockNotHeld) {
  LockInfo *A = lock(0x1000);
  ThreadState *T1 = start(), *T2 = start();
  take(T1, A);
  EXPECT_FALSE(beforeUnlock(T2, A));
  EXPECT_EQ(count("unlock-not-held"), 1) << Written;
}

TEST_F(CoreTest, bad_DestroyedWhileHeld) {
  ThreadState *T1 = start();
  LockInfo *A = lock(0x1000);
  take(T1, A);
  onLockDestroyed(T1, 0x1000, nullptr, 0);
  EXPECT_EQ(count("mutex-destroyed-locked"), 1) << Written;
}

TEST_F(CoreTest, bad_FreedWhileHeld) {
  ThreadState *T1 = start();
  LockInfo *A = lock(0x1010);
  take(T1, A);
  onFree(T1, 0x1000, 64);
  EXPECT_EQ(count("mutex-destroyed-locked"), 1) << Written;
  onFree(T1, 0x2000, 64);
  EXPECT_EQ(count("mutex-destroyed-locked"), 1);
}

TEST_F(CoreTest, bad_WaitForCycle) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000);
  ThreadState *T1 = start(), *T2 = start();
  take(T1, A);
  take(T2, B);
  setCurrentThread(T1);
  beginLockWait(T1, B, false);
  EXPECT_EQ(count("deadlock"), 0);
  setCurrentThread(T2);
  beginLockWait(T2, A, false);
  EXPECT_EQ(count("deadlock"), 1) << Written;
}

TEST_F(CoreTest, bad_WatchdogEveryThreadBlocked) {
  options().watchdog_ms = 100;
  ThreadState *T1 = start();
  LockInfo *Cond = lock(0x9000), *M = lock(0x1000);
  take(T1, M);
  beforeCondWait(T1, Cond, M, false);
  setCurrentThread(Main);
  beforeJoin(Main, T1, false);
  EXPECT_FALSE(watchdogCheck(nowNs()));
  EXPECT_TRUE(watchdogCheck(nowNs() + 200000000ull));
  EXPECT_EQ(count("deadlock"), 1) << Written;
}

TEST_F(CoreTest, ok_WatchdogTimedWaitIsNotStuck) {
  options().watchdog_ms = 100;
  ThreadState *T1 = start();
  LockInfo *Cond = lock(0x9000), *M = lock(0x1000);
  take(T1, M);
  beforeCondWait(T1, Cond, M, /*Timed=*/true);
  setCurrentThread(Main);
  beforeJoin(Main, T1, false);
  EXPECT_FALSE(watchdogCheck(nowNs() + 200000000ull));
}

TEST_F(CoreTest, ThreadsAtExit) {
  ThreadState *Joined = start();
  finish(Joined);
  ThreadState *Forgotten = start();
  ThreadState *Detached = start(/*Detached=*/true);
  ThreadState *DetachedDone = start(/*Detached=*/true);
  onThreadExit(DetachedDone);
  (void)Forgotten;
  (void)Detached;
  setCurrentThread(Main);
  onProcessExit();
  EXPECT_EQ(count("missing-join"), 1) << Written;
  EXPECT_EQ(count("leaked-thread"), 1) << Written;
  onProcessExit(); // once only
  EXPECT_EQ(count("missing-join"), 1);
}

TEST_F(CoreTest, bad_ForkChildTakesOrphanedLock) {
  LockInfo *A = lock(0x1000);
  ThreadState *T1 = start();
  take(T1, A);
  setCurrentThread(Main);
  beforeFork(Main);
  afterForkChild(Main);
  beforeLock(Main, A, false, Acquire::Blocking);
  EXPECT_EQ(count("fork-with-threads"), 1) << Written;
  EXPECT_NE(Written.find("waits forever"), std::string::npos);
}

TEST_F(CoreTest, ManyHeldLocks) {
  ThreadState *T1 = start(), *T2 = start();
  (void)T2;
  static LockInfo *Locks[1000];
  for (int I = 0; I < 1000; ++I)
    Locks[I] = lock(0x100000 + I * 64);
  for (int I = 0; I < 1000; ++I)
    take(T1, Locks[I]);
  EXPECT_EQ(T1->HeldCount, 1000u);
  for (int I = 999; I >= 0; --I)
    release(T1, Locks[I]);
  EXPECT_EQ(T1->HeldCount, 0u);
  EXPECT_EQ(Written, "");
}

TEST_F(CoreTest, Options) {
  const char *Bad;
  unsigned long BadLen;
  EXPECT_TRUE(parseOptions("watchdog_ms=250:halt_on_deadlock=0:ignore_exe=a,b", Bad, BadLen));
  EXPECT_EQ(options().watchdog_ms, 250);
  EXPECT_FALSE(options().halt_on_deadlock);
  EXPECT_STREQ(options().ignore_exe, "a,b");
}

TEST_F(CoreTest, BadOptionsAreNamed) {
  const char *Bad;
  unsigned long BadLen;
  const char *Text = "verbose=0:stack_depth=1000:no_such=1";
  EXPECT_FALSE(parseOptions(Text, Bad, BadLen));
  EXPECT_EQ(std::string(Bad, BadLen), "stack_depth=1000");
  EXPECT_FALSE(parseOptions("watchdog_ms=abc", Bad, BadLen));
  EXPECT_EQ(std::string(Bad, BadLen), "watchdog_ms=abc");
  EXPECT_FALSE(parseOptions("no_such=1", Bad, BadLen));
  EXPECT_FALSE(parseOptions("verbose", Bad, BadLen));
  EXPECT_FALSE(parseOptions("verbose=maybe", Bad, BadLen));
  EXPECT_TRUE(parseOptions("stack_depth=32:exitcode=66", Bad, BadLen));
}

} // namespace

namespace {

TEST_F(CoreTest, bad_InversionFoundAfterRepeatedChains) {
  // A pattern validated once is skipped by the chain cache afterwards; a
  // new order must still be seen.
  LockInfo *A = lock(0x1000), *B = lock(0x2000);
  ThreadState *T1 = start(), *T2 = start();
  for (int I = 0; I < 3; ++I)
    nest(T1, A, B);
  EXPECT_EQ(count("lock-order-inversion"), 0) << Written;
  nest(T2, B, A);
  EXPECT_EQ(count("lock-order-inversion"), 1) << Written;
}

TEST_F(CoreTest, bad_InversionThroughDeepChain) {
  // Edges are added from the most recent held locks only; the outermost
  // lock still reaches the innermost through them.
  static LockInfo *Locks[100];
  for (int I = 0; I < 100; ++I)
    Locks[I] = lock(0x100000 + I * 64);
  ThreadState *T1 = start(), *T2 = start();
  for (int Round = 0; Round < 2; ++Round) {
    for (int I = 0; I < 100; ++I)
      take(T1, Locks[I]);
    for (int I = 99; I >= 0; --I)
      release(T1, Locks[I]);
  }
  EXPECT_EQ(count("lock-order-inversion"), 0) << Written;
  nest(T2, Locks[99], Locks[0]);
  EXPECT_EQ(count("lock-order-inversion"), 1) << Written;
}

TEST_F(CoreTest, ok_ChainsOfOneThreadInEveryOrderAreNotAnInversion) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000), *C = lock(0x3000);
  ThreadState *T1 = start();
  start();
  nest(T1, A, B);
  nest(T1, B, C);
  nest(T1, C, A);
  EXPECT_EQ(count("lock-order-inversion"), 0) << Written;
}

TEST_F(CoreTest, RecordsAreReused) {
  uintptr_t Words[2] = {0, 0};
  size_t LocksFree = recordCounts().LocksFree;
  LockInfo *A = lockAt(0x1000, LockKind::Mutex, Words, 2);
  onLockDestroyed(Main, 0x1000, Words, 2);
  EXPECT_EQ(recordCounts().LocksFree, LocksFree + 1);
  LockInfo *B = lockAt(0x5000, LockKind::Mutex, Words, 2);
  EXPECT_EQ(A, B); // the same record, for a new lock
  EXPECT_EQ(recordCounts().LocksFree, LocksFree);
  // A lock built where an undestroyed one lived (std::mutex) frees the
  // old record too.
  Words[0] = Words[1] = 0;
  LockInfo *C = lockAt(0x5000, LockKind::Mutex, Words, 2);
  EXPECT_NE(B, C);
  EXPECT_EQ(recordCounts().LocksFree, LocksFree + 1);
  // A lock in the lock-order graph gives its record back too; the graph
  // keeps a node only while the lock can still be on a cycle (an edge out
  // of it alone cannot be).
  uintptr_t W1[2] = {0, 0}, W2[2] = {0, 0};
  LockInfo *D = lockAt(0x7000, LockKind::Mutex, W1, 2);
  LockInfo *E = lockAt(0x8000, LockKind::Mutex, W2, 2);
  ThreadState *T1 = start();
  start();
  nest(T1, D, E);
  size_t Before = recordCounts().LocksFree;
  onLockDestroyed(T1, 0x7000, W1, 2);
  EXPECT_EQ(recordCounts().LocksFree, Before + 1);
  EXPECT_EQ(deadLockNodes(), 0u);
  // A joined thread's record is reused.
  size_t ThreadsFree = recordCounts().ThreadsFree;
  ThreadState *T2 = start();
  finish(T2);
  EXPECT_EQ(recordCounts().ThreadsFree, ThreadsFree + 1);
  EXPECT_EQ(T2, start());
}

TEST_F(CoreTest, FreedMemoryGivesLockRecordsBack) {
  uintptr_t Words[2] = {0, 0};
  LockInfo *Sealed = lockAt(0x10010, LockKind::Mutex, Words, 2);
  LockInfo *ByAddress = lock(0x10100);
  LockInfo *Outside = lock(0x10200);
  uint32_t SealedId = Sealed->Id, ByAddressId = ByAddress->Id;
  size_t Before = recordCounts().LocksFree;
  // A block [0x10000, 0x10200) freed without a destroy call.
  onMemoryFreed(0x10000, 0x200);
  EXPECT_EQ(recordCounts().LocksFree, Before + 2);
  EXPECT_NE(lock(0x10100)->Id, ByAddressId);
  EXPECT_EQ(lock(0x10200), Outside);
  // The seal left in the freed words names a record that is no longer this
  // lock's: a mutex used there again is a new lock.
  EXPECT_NE(lockAt(0x10010, LockKind::Mutex, Words, 2)->Id, SealedId);
  // Memory that held no lock costs nothing and frees nothing.
  onMemoryFreed(0x900000, 0x100000);
  EXPECT_EQ(Written, "");
}

TEST_F(CoreTest, ok_LockFreedThenAddressReusedIsANewLock) {
  // Locks known by address only (spin locks, process-shared mutexes): the
  // new lock at the freed one's address must not inherit its edges.
  LockInfo *A = lock(0x1000), *B = lock(0x2000);
  ThreadState *T1 = start(), *T2 = start();
  nest(T1, A, B);
  onMemoryFreed(0x1000, 64);
  LockInfo *A2 = lock(0x1000);
  nest(T2, B, A2);
  EXPECT_EQ(count("lock-order-inversion"), 0) << Written;
}

TEST_F(CoreTest, bad_InversionThroughFreedLockIsStillReported) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000), *C = lock(0x3000);
  uint32_t AId = A->Id;
  ThreadState *T1 = start(), *T2 = start(), *T3 = start();
  nest(T1, A, B);
  nest(T2, C, A);
  size_t Before = recordCounts().LocksFree;
  onMemoryFreed(0x1000, 64);
  EXPECT_EQ(recordCounts().LocksFree, Before + 1);
  // A has an edge in and one out: it may still close a cycle.
  EXPECT_EQ(deadLockNodes(), 1u);
  nest(T3, B, C);
  EXPECT_EQ(count("lock-order-inversion"), 1) << Written;
  // The freed lock is named as it was: its id and address.
  EXPECT_NE(Written.find("lock\t" + std::to_string(AId) + "\t1000\n"), std::string::npos)
      << Written;
}

TEST_F(CoreTest, DeadLocksLeaveTheGraphWhenNoCycleCanUseThem) {
  LockInfo *A = lock(0x1000), *B = lock(0x2000), *C = lock(0x3000);
  ThreadState *T1 = start();
  start();
  nest(T1, A, B);
  nest(T1, B, C);
  // B has an edge in and out; freeing it keeps its node.
  onMemoryFreed(0x2000, 64);
  EXPECT_EQ(deadLockNodes(), 1u);
  // Freeing A leaves B with no edge in: neither can be on a cycle now.
  onMemoryFreed(0x1000, 64);
  EXPECT_EQ(deadLockNodes(), 0u);
  (void)C;
}

TEST_F(CoreTest, ok_ProcessSharedWaitIsNotStuck) {
  options().watchdog_ms = 100;
  ThreadState *T1 = start();
  LockInfo *M = lock(0x1000);
  beginLockWait(T1, M, /*ProcessShared=*/true);
  setCurrentThread(Main);
  beforeJoin(Main, T1, false);
  EXPECT_FALSE(watchdogCheck(nowNs() + 200000000ull));
  EXPECT_EQ(count("deadlock"), 0) << Written;
}

// Memory at 0x40000-0x50000 is shared with another process.
bool fakeSharedMemory(uintptr_t Addr) { return Addr >= 0x40000 && Addr < 0x50000; }

TEST_F(CoreTest, bad_PrivateCondVarInSharedMemoryIsStuckAndSaysWhy) {
  // A condition variable made without PTHREAD_PROCESS_SHARED but placed in
  // shared memory: glibc wakes it with a process-private futex, so another
  // process's signal never ends the wait.
  options().watchdog_ms = 100;
  setSharedMemoryQuery(fakeSharedMemory);
  LockInfo *Cond = lock(0x40040), *M = lock(0x40000);
  take(Main, M);
  beforeCondWait(Main, Cond, M, /*Timed=*/false);
  EXPECT_TRUE(watchdogCheck(nowNs() + 200000000ull));
  EXPECT_EQ(count("deadlock"), 1) << Written;
  EXPECT_NE(Written.find("made without PTHREAD_PROCESS_SHARED"), std::string::npos) << Written;
  EXPECT_NE(Written.find("(in shared memory, but not made PTHREAD_PROCESS_SHARED)"),
            std::string::npos)
      << Written;
}

TEST_F(CoreTest, bad_PrivateCondVarInPrivateMemoryIsStuck) {
  options().watchdog_ms = 100;
  setSharedMemoryQuery(fakeSharedMemory);
  LockInfo *Cond = lock(0x9040), *M = lock(0x9000);
  take(Main, M);
  beforeCondWait(Main, Cond, M, /*Timed=*/false);
  EXPECT_TRUE(watchdogCheck(nowNs() + 200000000ull));
  EXPECT_EQ(count("deadlock"), 1) << Written;
  EXPECT_EQ(Written.find("PROCESS_SHARED"), std::string::npos) << Written;
}

TEST_F(CoreTest, ok_ProcessSharedCondVarWaitIsNotStuck) {
  // Made PTHREAD_PROCESS_SHARED: the interceptor passes the wait as one
  // another process may end.
  options().watchdog_ms = 100;
  setSharedMemoryQuery(fakeSharedMemory);
  LockInfo *Cond = lock(0x40040), *M = lock(0x40000);
  take(Main, M);
  beforeCondWait(Main, Cond, M, /*Timed=*/true);
  EXPECT_FALSE(watchdogCheck(nowNs() + 200000000ull));
  EXPECT_EQ(count("deadlock"), 0) << Written;
}

// The fields of the profile line of lock \p Id, or "".
std::string profileLine(uint32_t Id) {
  std::string Needle = "plock\t" + std::to_string(Id) + "\t";
  size_t P = Written.find(Needle);
  return P == std::string::npos ? "" : Written.substr(P, Written.find('\n', P) - P);
}

TEST_F(CoreTest, ProfileCountsAcquisitionsWaitsAndHolds) {
  startProfile();
  LockInfo *Busy = lock(0x1000), *Quiet = lock(0x2000), *Unused = lock(0x3000);
  (void)Unused;
  ThreadState *T1 = start(), *T2 = start();
  take(T1, Busy);
  release(T1, Busy);
  take(T2, Busy);
  // T2 waited for it, at call site 0x4242.
  profileContended(Busy, 5000, 0x4242);
  release(T2, Busy);
  take(T1, Quiet);
  release(T1, Quiet);
  writeProfile();
  // plock id addr acquisitions contended wait-total wait-max hold-total hold-max
  std::string B = profileLine(Busy->Id), Q = profileLine(Quiet->Id);
  EXPECT_EQ(B.substr(0, B.find('\t', B.find('\t', B.find('\t', 6) + 1) + 1)),
            "plock\t" + std::to_string(Busy->Id) + "\t1000\t2") << Written;
  EXPECT_NE(B.find("\t2\t1\t"), std::string::npos) << B;
  EXPECT_NE(Q.find("\t1\t0\t0\t0\t"), std::string::npos) << Q;
  EXPECT_EQ(profileLine(Unused->Id), "") << Written; // never taken
  EXPECT_NE(Written.find("psite\t" + std::to_string(Busy->Id) + "\t1000\t4242\t1\t"),
            std::string::npos)
      << Written;
  // Written once.
  Written.clear();
  writeProfile();
  EXPECT_EQ(Written, "");
}

TEST_F(CoreTest, ProfileKeepsCountsOfLocksThatAreGone) {
  startProfile();
  LockInfo *A = lock(0x1000);
  uint32_t Id = A->Id;
  take(Main, A);
  release(Main, A);
  profileContended(A, 100, 0x10);
  onMemoryFreed(0x1000, 64);
  LockInfo *B = lock(0x5000); // reuses A's record
  take(Main, B);
  release(Main, B);
  writeProfile();
  EXPECT_NE(profileLine(Id).find("\t1\t1\t"), std::string::npos) << Written;
  EXPECT_NE(profileLine(B->Id), "") << Written;
}

TEST_F(CoreTest, ok_ThreadExitingWithLockHeldKeepsProfileSane) {
  startProfile();
  LockInfo *A = lock(0x1000);
  ThreadState *T1 = start();
  take(T1, A);
  onThreadExit(T1); // still holding it
  writeProfile();
  EXPECT_NE(profileLine(A->Id).find("\t1\t0\t0\t0\t0\t0"), std::string::npos) << Written;
}

TEST_F(CoreTest, bad_CondDestroyedWhileWaitedIsOneFinding) {
  options().watchdog_ms = 100;
  ThreadState *T1 = start();
  LockInfo *Cond = lock(0x9000), *M = lock(0x1000);
  take(T1, M);
  beforeCondWait(T1, Cond, M, false);
  setCurrentThread(Main);
  beginDestroyWait(Main, Cond);
  EXPECT_EQ(count("mutex-destroyed-locked"), 1) << Written;
  // Everyone stuck from then on: the process is ended, with no deadlock
  // finding of its own.
  EXPECT_TRUE(watchdogCheck(nowNs() + 200000000ull));
  EXPECT_EQ(count("deadlock"), 0) << Written;
}

TEST_F(CoreTest, ok_HelperThreadsTakeNoNumber) {
  // ThreadSanitizer's background thread starts before the program's first:
  // the program's threads are numbered as without it.
  ThreadState *Helper = beforeCreate(Main, true, /*Internal=*/true);
  afterCreate(Helper, true, 0x77);
  ThreadState *T1 = start();
  EXPECT_EQ(T1->Id, 1u);
}

TEST_F(CoreTest, ok_ForkChildStuckOnReportedLockIsOneFinding) {
  // A fork child that takes a lock held at the fork gets fork-with-threads;
  // when it then hangs on it, the watchdog ends it without a deadlock.
  options().watchdog_ms = 100;
  ThreadState *T1 = start();
  LockInfo *M = lock(0x1000);
  beforeFork(Main);
  afterForkChild(Main);
  (void)T1;
  setCurrentThread(Main);
  beforeLock(Main, M, false, Acquire::Blocking);
  EXPECT_EQ(count("fork-with-threads"), 1) << Written;
  beginLockWait(Main, M, false);
  EXPECT_TRUE(watchdogCheck(nowNs() + 200000000ull));
  EXPECT_EQ(count("deadlock"), 0) << Written;
}

} // namespace
