//===- Locks.cpp - Lock identity, held sets, and lock misuse --------------===//
//
// Lock identity. A lock is known by its address only while the object lives
// there: std::mutex is constructed and destroyed without init or destroy
// calls, and a freed mutex's address soon holds a new one. Treating the two
// as one lock would join their lock-order edges into cycles that no run can
// produce. So the runtime writes a seal into a word of the lock object that
// the lock implementation never uses (the robust-list links of a
// non-robust, process-private pthread_mutex_t; a padding word of
// pthread_rwlock_t). Every constructor rewrites that word (std::mutex and
// PTHREAD_MUTEX_INITIALIZER zero it, pthread_*_init resets it), so a lock
// whose seal does not match is a new object. The seal mixes the record's
// address, the lock's address and a per-process secret, so memory that
// merely held a lock once cannot pass for one by chance. For mutexes the
// record's address sits next to the seal and the lookup needs no table.
// Spin locks have no spare word: they keep their identity from
// pthread_spin_init to pthread_spin_destroy.
//
//===----------------------------------------------------------------------===//
#include "CoreInternal.h"
#include "Options.h"

namespace snag::rt {

namespace {

constexpr size_t TableSize = 1u << 20;
struct TableSlot {
  std::atomic<uintptr_t> Addr;
  std::atomic<LockInfo *> Info;
};
TableSlot *Table;
SpinLock TableLock;     // creating lock records
SpinLock TableInitLock; // mapping the table, maybe under TableLock
std::atomic<uint32_t> NextLockId{1};
uintptr_t sealFor(uintptr_t Info, uintptr_t Addr) { return lockSeal(Info, Addr); }

uintptr_t loadWord(uintptr_t *W) { return __atomic_load_n(W, __ATOMIC_RELAXED); }
void storeWord(uintptr_t *W, uintptr_t V) { __atomic_store_n(W, V, __ATOMIC_RELAXED); }

size_t slotIndex(uintptr_t Addr) {
  uint64_t H = Addr * 0x9E3779B97F4A7C15ull;
  return static_cast<size_t>(H >> 44) & (TableSize - 1);
}

// The slot for Addr, or null. With Create, claims a free slot.
TableSlot *findSlot(uintptr_t Addr, bool Create) {
  if (!Table) {
    if (!Create)
      return nullptr;
    SpinGuard G(TableInitLock);
    if (!Table)
      Table = static_cast<TableSlot *>(sysMmap(sizeof(TableSlot) * TableSize));
    if (!Table)
      return nullptr;
  }
  for (size_t I = slotIndex(Addr), N = 0; N < TableSize; I = (I + 1) & (TableSize - 1), ++N) {
    uintptr_t Key = Table[I].Addr.load(std::memory_order_acquire);
    if (Key == Addr)
      return &Table[I];
    if (Key == 0) {
      if (!Create)
        return nullptr;
      uintptr_t Expected = 0;
      if (Table[I].Addr.compare_exchange_strong(Expected, Addr) || Expected == Addr)
        return &Table[I];
    }
  }
  return nullptr; // full: the lock goes untracked
}

RecordPool<LockInfo> LockRecords;

//===--- Live records by memory page (record table lock) ------------------===//
//
// free() and munmap() must find the locks inside the memory they give back
// without a lock call to say so. Each page that holds a live record has a
// list of them; a bitmap, hashed by page and never cleared, answers "no lock
// here" for almost every free with one load.

constexpr unsigned PageShift = 12;
constexpr size_t PageBitCount = 1u << 20;
std::atomic<uint64_t> PageBits[PageBitCount / 64];
constexpr size_t PageTableSize = 1u << 18;
struct PageSlot {
  std::atomic<uintptr_t> Page; // page number + 1; 0: free
  std::atomic<LockInfo *> Head;
};
PageSlot *PageTable;

size_t pageBit(uintptr_t Page) {
  return static_cast<size_t>((Page * 0x9E3779B97F4A7C15ull) >> 44) & (PageBitCount - 1);
}
bool pageMayHoldLocks(uintptr_t Page) {
  size_t B = pageBit(Page);
  return PageBits[B / 64].load(std::memory_order_relaxed) & (1ull << (B % 64));
}

PageSlot *findPage(uintptr_t Page, bool Create) {
  if (!PageTable) {
    if (!Create)
      return nullptr;
    SpinGuard G(TableInitLock);
    if (!PageTable)
      PageTable = static_cast<PageSlot *>(sysMmap(sizeof(PageSlot) * PageTableSize));
    if (!PageTable)
      return nullptr;
  }
  uintptr_t Key = Page + 1;
  size_t Start = static_cast<size_t>((Key * 0x9E3779B97F4A7C15ull) >> 46) & (PageTableSize - 1);
  for (size_t I = Start, N = 0; N < 64; I = (I + 1) & (PageTableSize - 1), ++N) {
    uintptr_t K = PageTable[I].Page.load(std::memory_order_acquire);
    if (K == Key)
      return &PageTable[I];
    if (K == 0) {
      if (!Create)
        return nullptr;
      PageTable[I].Page.store(Key, std::memory_order_release);
      return &PageTable[I];
    }
  }
  return nullptr; // crowded here: such a lock's record goes only by destroy
}

void indexRecord(LockInfo *L) {
  uintptr_t Page = L->Addr >> PageShift;
  PageSlot *S = findPage(Page, true);
  if (!S)
    return;
  size_t B = pageBit(Page);
  PageBits[B / 64].fetch_or(1ull << (B % 64), std::memory_order_relaxed);
  L->NextOnPage = S->Head.load(std::memory_order_relaxed);
  S->Head.store(L, std::memory_order_release);
}

void unindexRecord(LockInfo *L) {
  PageSlot *S = findPage(L->Addr >> PageShift, false);
  if (!S)
    return;
  LockInfo *Prev = nullptr;
  for (LockInfo *I = S->Head.load(std::memory_order_relaxed); I; Prev = I, I = I->NextOnPage)
    if (I == L) {
      if (Prev)
        Prev->NextOnPage = L->NextOnPage;
      else
        S->Head.store(L->NextOnPage, std::memory_order_release);
      break;
    }
  L->NextOnPage = nullptr;
}

LockInfo *newLockInfo(uintptr_t Addr, LockKind Kind, int WordCount) {
  LockInfo *L = LockRecords.take();
  L->Addr = Addr;
  L->Kind = Kind;
  L->IdentityWordCount = static_cast<uint8_t>(WordCount);
  L->Id = NextLockId.fetch_add(1); // never reused: edges and chains name locks by id
  indexRecord(L);
  return L;
}

// A lock whose object is gone (destroyed, freed, or a new lock built where
// it was) gives its record back, unless something may still need it: a
// holder or a condition-variable waiter. The lock-order graph keeps its
// own node of the lock. Record table lock held.
void releaseLockInfo(LockInfo *L) {
  L->Destroyed.store(true);
  unindexRecord(L);
  if (Profiling)
    profileRetire(L);
  if (L->Writer.load() || L->Readers.load() || L->CondWaiters.load())
    return;
  detachLockNode(L);
  LockRecords.give(L);
}

// An untracked lock (table full) still needs a record to keep interceptors
// simple; it is shared and never reported on.
LockInfo Untracked;

LockInfo *peekLock(uintptr_t Addr, uintptr_t *Words, int WordCount) {
  if (WordCount == 2) {
    uintptr_t P = loadWord(&Words[1]);
    if (P && loadWord(&Words[0]) == sealFor(P, Addr))
      return reinterpret_cast<LockInfo *>(P);
    return nullptr;
  }
  TableSlot *S = findSlot(Addr, false);
  LockInfo *L = S ? S->Info.load(std::memory_order_acquire) : nullptr;
  if (!L || L->Destroyed.load(std::memory_order_relaxed))
    return nullptr;
  if (WordCount == 1 && loadWord(&Words[0]) != sealFor(reinterpret_cast<uintptr_t>(L), Addr))
    return nullptr;
  return L;
}

// Held arrays are read by other threads (deadlock reports), so an outgrown
// one is never reused for anything else; they grow by doubling, and a
// thread record keeps its array when it is recycled.
void growHeld(ThreadState *T) {
  uint32_t NewCapacity = T->HeldCapacity ? T->HeldCapacity * 2 : 16;
  auto *New = static_cast<HeldLock *>(
      arenaAlloc(sizeof(HeldLock) * NewCapacity, alignof(HeldLock)));
  for (uint32_t I = 0; I < T->HeldCount; ++I)
    New[I] = T->Held[I];
  T->Held = New;
  T->HeldCapacity = NewCapacity;
}

void pushHeld(ThreadState *T, LockInfo *L, bool Shared) {
  if (T->HeldCount == T->HeldCapacity)
    growHeld(T);
  T->Held[T->HeldCount++] = HeldLock{L, Shared, 0, Profiling ? profileNow() : 0};
}

// Index of L in T's held set, searching from the most recent, or -1.
int findHeld(ThreadState *T, LockInfo *L) {
  for (int I = static_cast<int>(T->HeldCount) - 1; I >= 0; --I)
    if (T->Held[I].Lock == L)
      return I;
  return -1;
}

void removeHeld(ThreadState *T, int Index) {
  for (uint32_t I = static_cast<uint32_t>(Index); I + 1 < T->HeldCount; ++I)
    T->Held[I] = T->Held[I + 1];
  --T->HeldCount;
  // The chain changed from Index on.
  for (uint32_t I = static_cast<uint32_t>(Index); I < T->HeldCount; ++I)
    T->Held[I].Chain = 0;
}

void reportDoubleLock(ThreadState *T, LockInfo *L, bool WillHang) {
  FindingWriter W("double-lock");
  W.message().str("thread ");
  threadName(W.message(), T);
  W.message().str(" locks ");
  lockName(W.message(), L);
  W.message().str(WillHang ? ", which it already holds: a non-recursive lock "
                             "taken again by its holder waits for itself forever"
                           : ", which it already holds: the call fails "
                             "instead of locking");
  W.lock(L);
  W.stackTitle().str("thread ");
  threadName(W.stackTitle(), T);
  W.stackTitle().str(" locks ");
  lockName(W.stackTitle(), L);
  W.stackTitle().str(" again");
  W.stackWithTitleHere();
  W.finish();
  if (WillHang)
    haltAfterFinding("double-lock");
}

} // namespace

void forEachLiveLock(void (*Fn)(LockInfo *, void *), void *Context) {
  SpinGuard G(TableLock);
  for (size_t I = 0; PageTable && I < PageTableSize; ++I)
    for (LockInfo *L = PageTable[I].Head.load(std::memory_order_relaxed); L; L = L->NextOnPage)
      Fn(L, Context);
}

void lockRecordTable() { TableLock.lock(); }
void unlockRecordTable(bool InForkChild) {
  if (InForkChild)
    TableLock.reset();
  else
    TableLock.unlock();
}

bool ForkChildLockReported = false;
size_t freeLockRecords() { return LockRecords.freeCount(); }

namespace {

void checkForkChild(ThreadState *T, LockInfo *L) {
  ThreadState *Holder = L->Writer.load(std::memory_order_relaxed);
  bool Orphaned = Holder && Holder != T && Holder->GoneAtFork;
  if (!Orphaned && (!ForkedWithThreads || ForkChildLockReported))
    return;
  if (!options().detect_fork)
    return;
  ForkChildLockReported = true;
  FindingWriter W("fork-with-threads");
  W.lock(L);
  if (Orphaned) {
    W.message().str("the child of a fork made while ").dec(ThreadsAtFork)
        .str(" threads ran waits forever for ");
    lockName(W.message(), L);
    W.message().str(": thread ");
    threadName(W.message(), Holder);
    W.message().str(" held it at the fork and does not exist in the child");
  } else {
    W.message().str("the child of a fork made while ").dec(ThreadsAtFork)
        .str(" threads ran takes ");
    lockName(W.message(), L);
    W.message().str(" before exec: a lock another thread held at the fork "
                    "stays held forever in the child");
  }
  W.stackTitle().str("the fork child takes ");
  lockName(W.stackTitle(), L);
  W.stackWithTitleHere();
  if (Orphaned && Holder->BlockStack.load()) {
    W.stackTitle().str("thread ");
    threadName(W.stackTitle(), Holder);
    W.stackTitle().str(" in the parent");
    W.stackWithTitle(Holder->BlockStack.load());
  }
  W.finish();
  if (Orphaned)
    haltAfterFinding("fork-with-threads");
}

} // namespace

uintptr_t LockSalt = 0x5eed5eed5eed5eedull;
void setLockSalt(uintptr_t S) { LockSalt = S | 1; }

LockInfo *lockAtSlow(uintptr_t Addr, LockKind Kind, uintptr_t *Words, int WordCount) {
  if (WordCount == 2) {
    SpinGuard G(TableLock);
    uintptr_t P;
    P = loadWord(&Words[1]);
    if (P && loadWord(&Words[0]) == sealFor(P, Addr))
      return reinterpret_cast<LockInfo *>(P);
    LockInfo *L = newLockInfo(Addr, Kind, WordCount);
    storeWord(&Words[1], reinterpret_cast<uintptr_t>(L));
    storeWord(&Words[0], sealFor(reinterpret_cast<uintptr_t>(L), Addr));
    // The record of the lock that lived here before (a std::mutex never
    // says it is destroyed) is done with.
    if (TableSlot *S = findSlot(Addr, true))
      if (LockInfo *Old = S->Info.exchange(L); Old && Old != L)
        releaseLockInfo(Old);
    return L;
  }
  if (LockInfo *L = peekLock(Addr, Words, WordCount))
    return L;
  SpinGuard G(TableLock);
  if (LockInfo *L = peekLock(Addr, Words, WordCount))
    return L;
  TableSlot *S = findSlot(Addr, true);
  if (!S)
    return &Untracked;
  LockInfo *L = newLockInfo(Addr, Kind, WordCount);
  // What the slot held is a lock whose object is gone: destroyed, or (for a
  // sealed rwlock) a new one built at its address.
  if (LockInfo *Old = S->Info.exchange(L, std::memory_order_acq_rel))
    releaseLockInfo(Old);
  if (WordCount == 1)
    storeWord(&Words[0], sealFor(reinterpret_cast<uintptr_t>(L), Addr));
  return L;
}

void onLockCreated(uintptr_t Addr, uintptr_t *Words, int WordCount) {
  for (int I = 0; I < WordCount; ++I)
    storeWord(&Words[I], 0);
  if (WordCount == 2)
    return;
  if (TableSlot *S = findSlot(Addr, false))
    if (LockInfo *L = S->Info.load())
      L->Destroyed.store(true);
}

void onLockDestroyed(ThreadState *T, uintptr_t Addr, uintptr_t *Words, int WordCount) {
  LockInfo *L = peekLock(Addr, Words, WordCount);
  if (!L)
    return;
  ThreadState *Holder = L->Writer.load();
  if (Holder || L->Readers.load()) {
    FindingWriter W("mutex-destroyed-locked");
    W.lock(L);
    W.message().str("thread ");
    threadName(W.message(), T);
    W.message().str(" destroys ");
    lockName(W.message(), L);
    W.message().str(" while ");
    if (Holder == T)
      W.message().str("it holds it");
    else if (Holder)
      threadName(W.message().str("thread "), Holder).str(" holds it");
    else
      W.message().str("readers hold it");
    W.message().str(": the holder's unlock then works on a dead object");
    W.stackTitle().str("thread ");
    threadName(W.stackTitle(), T);
    W.stackTitle().str(" destroys ");
    lockName(W.stackTitle(), L);
    W.stackWithTitleHere();
    W.finish();
  }
  L->Destroyed.store(true);
  for (int I = 0; I < WordCount; ++I)
    storeWord(&Words[I], 0);
  if (L == &Untracked)
    return;
  SpinGuard G(TableLock);
  if (TableSlot *S = findSlot(Addr, false)) {
    LockInfo *Expected = L;
    S->Info.compare_exchange_strong(Expected, nullptr);
  }
  releaseLockInfo(L);
}

void onMemoryFreed(uintptr_t Begin, size_t Size) {
  if (!Size)
    return;
  uintptr_t First = Begin >> PageShift, Last = (Begin + Size - 1) >> PageShift;
  bool Any = false;
  for (uintptr_t P = First; P <= Last && !Any; ++P)
    Any = pageMayHoldLocks(P);
  if (!Any)
    return;
  SpinGuard G(TableLock);
  for (uintptr_t P = First; P <= Last; ++P) {
    if (!pageMayHoldLocks(P))
      continue;
    PageSlot *PS = findPage(P, false);
    if (!PS)
      continue;
    for (LockInfo *L = PS->Head.load(std::memory_order_relaxed), *Next; L; L = Next) {
      Next = L->NextOnPage;
      if (L->Addr < Begin || L->Addr - Begin >= Size)
        continue;
      // The seal words in the object are left alone (the memory may be
      // gone already, or read-only): a seal names its record and address,
      // and a new lock constructed there writes its own.
      if (TableSlot *S = findSlot(L->Addr, false)) {
        LockInfo *Expected = L;
        S->Info.compare_exchange_strong(Expected, nullptr);
      }
      releaseLockInfo(L);
    }
  }
}

void onFree(ThreadState *T, uintptr_t Begin, size_t Size) {
  for (uint32_t I = 0; I < T->HeldCount; ++I) {
    LockInfo *L = T->Held[I].Lock;
    if (L->Addr < Begin || L->Addr >= Begin + Size || L->Destroyed.load())
      continue;
    FindingWriter W("mutex-destroyed-locked");
    W.lock(L);
    W.message().str("thread ");
    threadName(W.message(), T);
    W.message().str(" frees the memory of ");
    lockName(W.message(), L);
    W.message().str(" while it holds it: the unlock that follows writes to "
                    "freed memory");
    W.stackTitle().str("thread ");
    threadName(W.stackTitle(), T);
    W.stackTitle().str(" frees ");
    lockName(W.stackTitle(), L);
    W.stackWithTitleHere();
    W.finish();
    L->Destroyed.store(true);
  }
}

void beforeLockSlow(ThreadState *T, LockInfo *L, bool Shared, Acquire How) {
  ThreadState *Holder = L->Writer.load(std::memory_order_relaxed);
  if (__builtin_expect(Holder != nullptr, 0) && Holder != T && Holder->GoneAtFork)
    checkForkChild(T, L);
  else if (__builtin_expect(ForkedWithThreads, 0))
    checkForkChild(T, L);
  if (How == Acquire::Blocking && L != &Untracked) {
    if (Holder == T && !L->recursive()) {
      // A writer asking again: a plain mutex or rwlock hangs, an
      // error-checking one fails (so does a read lock by the writer).
      bool Hangs = L->Kind == LockKind::Mutex || L->Kind == LockKind::Spin;
      reportDoubleLock(T, L, Hangs);
      return;
    }
    if (L->Kind == LockKind::RWLock && !Shared && findHeld(T, L) >= 0) {
      reportDoubleLock(T, L, /*WillHang=*/true); // a reader asking to write
      return;
    }
  }
  if (How == Acquire::Blocking && T->HeldCount && L != &Untracked &&
      options().detect_lock_order)
    recordLockOrder(T, L);
}

void afterLockSlow(ThreadState *T, LockInfo *L, bool Shared, bool Acquired) {
  if (!Acquired || L == &Untracked)
    return;
  if (Profiling)
    profileAcquired(L);
  if (Shared) {
    L->Readers.fetch_add(1, std::memory_order_relaxed);
    pushHeld(T, L, true);
    return;
  }
  if (L->Writer.load(std::memory_order_relaxed) == T) {
    ++L->Recursion;
    return;
  }
  L->Writer.store(T, std::memory_order_relaxed);
  L->Recursion = 1;
  pushHeld(T, L, false);
}

bool beforeUnlockSlow(ThreadState *T, LockInfo *L) {
  if (L == &Untracked)
    return true;
  int Index = findHeld(T, L);
  if (__builtin_expect(Index < 0, 0)) {
    ThreadState *Holder = L->Writer.load();
    FindingWriter W("unlock-not-held");
    W.lock(L);
    W.message().str("thread ");
    threadName(W.message(), T);
    W.message().str(" unlocks ");
    lockName(W.message(), L);
    if (Holder) {
      W.message().str(", which thread ");
      threadName(W.message(), Holder);
      W.message().str(" holds: the holder's critical section is no longer "
                      "protected");
    } else {
      W.message().str(", which no thread holds: the lock's state is corrupted "
                      "or the call fails");
    }
    W.stackTitle().str("thread ");
    threadName(W.stackTitle(), T);
    W.stackTitle().str(" unlocks ");
    lockName(W.stackTitle(), L);
    W.stackWithTitleHere();
    W.finish();
    if (Holder && Holder != T && L->Kind != LockKind::RWLock) {
      L->Writer.store(nullptr);
      L->Recursion = 0;
    }
    return false;
  }
  if (T->Held[Index].Shared) {
    L->Readers.fetch_sub(1, std::memory_order_relaxed);
  } else {
    if (L->recursive() && L->Recursion > 1) {
      --L->Recursion;
      return true;
    }
    L->Recursion = 0;
    L->Writer.store(nullptr, std::memory_order_relaxed);
  }
  if (Profiling)
    profileReleased(L, T->Held[Index].Since);
  removeHeld(T, Index);
  return true;
}

void beforeCondWait(ThreadState *T, LockInfo *Cond, LockInfo *Mutex, bool Timed) {
  // The wait releases the mutex: a wait without holding it is an unlock of
  // a lock not held.
  beforeUnlock(T, Mutex);
  Cond->CondWaiters.fetch_add(1);
  T->BlockStack.store(nullptr);
  T->WaitLock.store(nullptr);
  T->WaitAddr.store(Cond->Addr, std::memory_order_relaxed);
  T->BlockSince.store(nowNs());
  T->WaitEpoch.fetch_add(1);
  T->Block.store(Timed ? BlockState::Timed : BlockState::Cond);
  // No stack now: a wait is not news. The watchdog asks for it if the wait
  // lasts (requestWaitStack).
  if (!Timed)
    startWatchdog();
}

void afterCondWait(ThreadState *T, LockInfo *Cond, LockInfo *Mutex) {
  Cond->CondWaiters.fetch_sub(1);
  T->Block.store(BlockState::Running);
  T->WaitEpoch.fetch_add(1);
  afterLock(T, Mutex, false, true);
}

bool condHasWaiters(LockInfo *Cond) { return Cond->CondWaiters.load() > 0; }

void resetLocksForTesting() {
  if (Table)
    memZero(Table, sizeof(TableSlot) * TableSize);
  if (PageTable)
    memZero(PageTable, sizeof(PageSlot) * PageTableSize);
  ForkChildLockReported = false;
}

} // namespace snag::rt
