//===- CoreInternal.h - What the core's parts share with each other -------===//
#ifndef SNAG_RUNTIME_COREINTERNAL_H
#define SNAG_RUNTIME_COREINTERNAL_H

#include "Core.h"

namespace snag::rt {

/// What the lock-order graph keeps of a lock: its identity, for reports,
/// and its edges. It lives as long as an edge may still be part of a
/// cycle, which can outlast the lock's record (the lock's memory is freed).
struct Edge;
struct LockNode {
  uintptr_t Addr = 0;
  uint32_t Id = 0;
  /// The lock's memory is gone: no edge to or from it can change anymore.
  bool Dead = false;
  Edge *OutEdges = nullptr;
  Edge *InEdges = nullptr;
  uint32_t SearchMark = 0;
  /// Position in a topological order of the lock-order graph, and a mark
  /// for reordering it.
  uint32_t Order = 0;
  uint32_t OrderMark = 0;
};

/// Builds one finding record and hands it to the sink in one piece, so a
/// kill right after loses nothing and never leaves half a line behind.
class FindingWriter {
public:
  explicit FindingWriter(const char *Rule);
  ~FindingWriter();
  FindingWriter(const FindingWriter &) = delete;
  FindingWriter &operator=(const FindingWriter &) = delete;

  /// The message: append text and names with the helpers below.
  TextBuffer &message() { return Message; }
  void lock(const LockInfo *L) { lock(L->Id, L->Addr); }
  void lock(const LockNode *N) { lock(N->Id, N->Addr); }
  void lock(uint32_t Id, uintptr_t Addr);
  /// A stack with its title. A null stack is written without frames.
  void stack(const char *Title, const StackTrace *S);
  TextBuffer &stackTitle() { return Title; }
  void stackWithTitle(const StackTrace *S);
  /// The calling thread's stack, with the title.
  void stackWithTitleHere();
  /// Writes the finding. Call once.
  void finish();

private:
  void line(const char *Tag, const char *Text, size_t Len);
  char *Data;
  size_t Capacity;
  TextBuffer Out;
  char MessageData[1024];
  TextBuffer Message;
  char TitleData[512];
  TextBuffer Title;
  bool Done = false;
};

/// "{L7}" and "{T3}": placeholders the collector replaces with names.
inline TextBuffer &lockName(TextBuffer &B, const LockInfo *L) {
  return B.str("{L").dec(L->Id).chr('}');
}
inline TextBuffer &lockName(TextBuffer &B, const LockNode *N) {
  return B.str("{L").dec(N->Id).chr('}');
}
inline TextBuffer &threadName(TextBuffer &B, const ThreadState *T) {
  return B.str("{T").dec(T->Id).chr('}');
}

/// Lock-order graph (LockOrder.cpp).
void recordLockOrder(ThreadState *T, LockInfo *L);
void resetLockOrder();
/// \p L's record is given back: its node, if any, stays while the graph
/// still needs it, as a dead lock's.
void detachLockNode(LockInfo *L);
size_t freeLockRecords();

/// Wait-for graph and watchdog (Deadlock.cpp).
void startWatchdog();
void resetDeadlockState(bool InForkChild);
void reportDeadlockCycle(ThreadState *T, ThreadState **Cycle, int Length);

/// Whether the exit check (onProcessExit) has run in this process.
bool exitChecked();

/// Thread registry access for the deadlock detector and exit checks.
/// Calls \p Fn for every registered thread under the registry lock.
template <typename F> void forEachThread(F Fn);
void lockRegistry();
void unlockRegistry();
ThreadState **registeredThreads(int &Count);

/// The report lock, taken across fork.
void lockReports();
void unlockReports(bool InForkChild);
/// Every lock with a live record (record table lock held meanwhile).
void forEachLiveLock(void (*Fn)(LockInfo *, void *), void *Context);
template <typename F> void forEachLiveLock(F Fn) {
  forEachLiveLock([](LockInfo *L, void *C) { (*static_cast<F *>(C))(L); }, &Fn);
}

/// Contention profile (Profile.cpp); called only while Profiling.
void profileAcquired(LockInfo *L);
/// \p Since: when the hold began (HeldLock::Since).
void profileReleased(LockInfo *L, uint64_t Since);
/// \p L's record is given back: its counts stay in the profile.
void profileRetire(LockInfo *L);
/// Forgets what was counted (a fork child counts its own).
void resetProfile();
/// Appends whole record lines to this process's report file.
void writeRecordText(const char *Text, size_t Len);

/// The lock record table's lock, taken across fork before the graph's.
void lockRecordTable();
void unlockRecordTable(bool InForkChild);
void lockGraph();
void unlockGraph(bool InForkChild);

/// ForkedWithThreads (Core.h): true in a fork child of a multithreaded
/// process until it execs.
extern int ThreadsAtFork;
extern bool ForkChildLockReported;

template <typename F> void forEachThread(F Fn) {
  lockRegistry();
  int N;
  ThreadState **All = registeredThreads(N);
  for (int I = 0; I < N; ++I)
    Fn(All[I]);
  unlockRegistry();
}

} // namespace snag::rt

#endif
