//===- LockOrder.cpp - The lock-order graph and its cycles ----------------===//
//
// An edge A -> B says "some thread took B while holding A". A cycle of edges
// predicts a deadlock, whether or not this run hung, unless the cycle cannot
// happen at once in any run:
//  - one lock (a gate) was held by every edge of the cycle;
//  - one thread took every edge (it cannot wait for itself across orders);
//  - an edge was only ever taken while the process ran one thread (start-up
//    before the first thread starts, teardown after the last join).
// Threads that merely ran one after the other still count: another run may
// overlap them. An edge keeps what it needs to decide this: the first thread
// that took it and whether others did, whether it was ever taken while
// other threads ran, and the gate locks common to every time it was taken.
//
// Speed, after Linux lockdep. Each held lock carries the hash of the chain
// of locks held up to it (HeldLock::Chain). An acquisition whose chain
// (held locks, new lock, thread, whether other threads run) was validated
// before changes nothing in the graph, so it costs one hash lookup in the
// chain cache, however many locks are held. A new chain costs one table
// lookup for each of the (at most 8) most recently held locks; stacks are
// captured only for new edges.
//
// Cycle searches run only when the graph may have a cycle. The graph keeps
// a topological order of its locks, maintained as edges arrive
// (Pearce-Kelly): an edge that goes forward in the order cannot close a
// cycle, and one that goes backward reorders only the locks between its
// ends. An edge that would close a cycle is marked as a back edge; while
// there is none, the graph is acyclic and no search is needed at all.
//
//===----------------------------------------------------------------------===//
#include "CoreInternal.h"
#include "Options.h"

namespace snag::rt {

constexpr int MaxGates = 4;
constexpr uint32_t MaxEdgesPerAcquisition = 8;

struct Edge {
  LockNode *From;
  LockNode *To;
  Edge *NextOut;
  Edge *NextIn;
  bool Back; // closes a cycle: not part of the topological order
  StackTrace *Stack;
  uint32_t ThreadId;
  bool ManyThreads;
  bool Counts; // taken at least once while other threads ran
  uint8_t GateCount;
  uint32_t Gates[MaxGates]; // lock ids
};

namespace {

constexpr size_t EdgeTableSize = 1u << 21;
struct EdgeSlot {
  std::atomic<uint64_t> Key;
  std::atomic<Edge *> Value;
};
EdgeSlot *EdgeTable;
SpinLock GraphLock;
uint32_t SearchGeneration;

constexpr size_t ReportedSize = 4096;
uint64_t Reported[ReportedSize];

// Validated chains: keys only, open addressing, never deleted.
constexpr size_t ChainTableSize = 1u << 20;
constexpr int ChainProbes = 16;
std::atomic<uint64_t> *ChainTable;
SpinLock ChainInitLock;

uint64_t chainCacheKey(uint64_t Chain, const LockInfo *L, const ThreadState *T, bool Multi) {
  uint64_t K = chainStep(Chain ^ (static_cast<uint64_t>(T->Id) << 33), L->Id, Multi);
  return K ? K : 1;
}

bool chainKnown(uint64_t Key) {
  std::atomic<uint64_t> *Table = ChainTable;
  if (!Table)
    return false;
  size_t I = static_cast<size_t>(Key >> 20) & (ChainTableSize - 1);
  for (int N = 0; N < ChainProbes; ++N, I = (I + 1) & (ChainTableSize - 1)) {
    uint64_t K = Table[I].load(std::memory_order_relaxed);
    if (K == Key)
      return true;
    if (K == 0)
      return false;
  }
  return false;
}

void rememberChain(uint64_t Key) {
  if (!ChainTable) {
    SpinGuard G(ChainInitLock);
    if (!ChainTable)
      ChainTable = static_cast<std::atomic<uint64_t> *>(
          sysMmap(sizeof(std::atomic<uint64_t>) * ChainTableSize));
    if (!ChainTable)
      return;
  }
  size_t I = static_cast<size_t>(Key >> 20) & (ChainTableSize - 1);
  for (int N = 0; N < ChainProbes; ++N, I = (I + 1) & (ChainTableSize - 1)) {
    uint64_t Expected = 0;
    if (ChainTable[I].compare_exchange_strong(Expected, Key) || Expected == Key)
      return;
  }
  // Full around here: the chain is validated again next time.
}

//===--- Topological order (Pearce-Kelly), graph lock held ----------------===//

uint32_t NextOrder;
uint32_t OrderGeneration;
uint32_t BackEdges;

// Growable scratch arrays for reordering.
template <typename T> struct Scratch {
  T *Data = nullptr;
  uint32_t Size = 0, Capacity = 0;
  void clear() { Size = 0; }
  void push(T V) {
    if (Size == Capacity) {
      uint32_t NewCapacity = Capacity ? Capacity * 2 : 256;
      T *New = static_cast<T *>(poolAlloc(sizeof(T) * NewCapacity));
      for (uint32_t I = 0; I < Size; ++I)
        New[I] = Data[I];
      poolFree(Data, sizeof(T) * Capacity);
      Data = New;
      Capacity = NewCapacity;
    }
    Data[Size++] = V;
  }
};
Scratch<LockNode *> Forward, Backward, Work;
Scratch<uint32_t> Orders;

template <typename T, typename Less> void heapSort(T *A, uint32_t N, Less L) {
  auto Sift = [&](uint32_t Root, uint32_t End) {
    for (;;) {
      uint32_t Child = 2 * Root + 1;
      if (Child >= End)
        return;
      if (Child + 1 < End && L(A[Child], A[Child + 1]))
        ++Child;
      if (!L(A[Root], A[Child]))
        return;
      T Tmp = A[Root];
      A[Root] = A[Child];
      A[Child] = Tmp;
      Root = Child;
    }
  };
  for (uint32_t I = N / 2; I-- > 0;)
    Sift(I, N);
  for (uint32_t End = N; End-- > 1;) {
    T Tmp = A[0];
    A[0] = A[End];
    A[End] = Tmp;
    Sift(0, End);
  }
}

// Locks reachable from Start over ordered edges with Order below Bound
// (forward) or above it (backward). False when Target is reached: the new
// edge closes a cycle.
bool collectRegion(LockNode *Start, LockNode *Target, uint32_t Bound, bool Forwards,
                   Scratch<LockNode *> &Out, uint32_t Mark) {
  Work.clear();
  Work.push(Start);
  Start->OrderMark = Mark;
  while (Work.Size) {
    LockNode *N = Work.Data[--Work.Size];
    Out.push(N);
    for (Edge *E = Forwards ? N->OutEdges : N->InEdges; E;
         E = Forwards ? E->NextOut : E->NextIn) {
      if (E->Back)
        continue;
      LockNode *Next = Forwards ? E->To : E->From;
      if (Next == Target)
        return false;
      if (Next->OrderMark == Mark)
        continue;
      if (Forwards ? Next->Order > Bound : Next->Order < Bound)
        continue;
      Next->OrderMark = Mark;
      Work.push(Next);
    }
  }
  return true;
}

// Keeps the order topological after a new edge From -> To. False when the
// edge closes a cycle (the order is left as it was).
bool placeEdge(LockNode *From, LockNode *To) {
  if (!From->Order)
    From->Order = ++NextOrder;
  if (!To->Order)
    To->Order = ++NextOrder;
  if (From->Order < To->Order)
    return true;
  uint32_t Mark = ++OrderGeneration;
  Forward.clear();
  Backward.clear();
  if (!collectRegion(To, From, From->Order, true, Forward, Mark))
    return false;
  collectRegion(From, To, To->Order, false, Backward, Mark);
  auto ByOrder = [](LockNode *A, LockNode *B) { return A->Order < B->Order; };
  heapSort(Forward.Data, Forward.Size, ByOrder);
  heapSort(Backward.Data, Backward.Size, ByOrder);
  Orders.clear();
  for (uint32_t I = 0; I < Backward.Size; ++I)
    Orders.push(Backward.Data[I]->Order);
  for (uint32_t I = 0; I < Forward.Size; ++I)
    Orders.push(Forward.Data[I]->Order);
  heapSort(Orders.Data, Orders.Size, [](uint32_t A, uint32_t B) { return A < B; });
  // Everything that reaches From goes before everything From's new
  // successor reaches, each side in its old relative order.
  uint32_t K = 0;
  for (uint32_t I = 0; I < Backward.Size; ++I)
    Backward.Data[I]->Order = Orders.Data[K++];
  for (uint32_t I = 0; I < Forward.Size; ++I)
    Forward.Data[I]->Order = Orders.Data[K++];
  return true;
}

uint64_t edgeKey(uint32_t From, uint32_t To) {
  return (static_cast<uint64_t>(From) << 32) | To;
}


size_t edgeIndex(uint64_t Key) {
  return static_cast<size_t>((Key * 0x9E3779B97F4A7C15ull) >> 40) & (EdgeTableSize - 1);
}

Edge *findEdge(uint64_t Key) {
  if (!EdgeTable)
    return nullptr;
  for (size_t I = edgeIndex(Key);; I = (I + 1) & (EdgeTableSize - 1)) {
    uint64_t K = EdgeTable[I].Key.load(std::memory_order_acquire);
    if (K == Key)
      return EdgeTable[I].Value.load(std::memory_order_acquire);
    if (K == 0)
      return nullptr;
  }
}

// Graph lock held. Linear probing's deletion by backward shift: later
// entries of the probe run move into the hole, so no tombstone is left to
// lengthen lookups. A lookup without the lock may miss an entry while it
// moves, or read a slot as it changes; it then checks the edge's ends and
// takes the locked path.
void dropEdgeKey(uint64_t Key) {
  constexpr size_t Mask = EdgeTableSize - 1;
  size_t Hole = edgeIndex(Key);
  for (;; Hole = (Hole + 1) & Mask) {
    uint64_t K = EdgeTable[Hole].Key.load(std::memory_order_relaxed);
    if (K == 0)
      return;
    if (K == Key)
      break;
  }
  for (size_t J = (Hole + 1) & Mask;; J = (J + 1) & Mask) {
    uint64_t K = EdgeTable[J].Key.load(std::memory_order_relaxed);
    if (K == 0)
      break;
    size_t Home = edgeIndex(K);
    bool Stays = Hole <= J ? (Hole < Home && Home <= J) : (Hole < Home || Home <= J);
    if (Stays)
      continue;
    EdgeTable[Hole].Value.store(EdgeTable[J].Value.load(std::memory_order_relaxed),
                                std::memory_order_relaxed);
    EdgeTable[Hole].Key.store(K, std::memory_order_release);
    Hole = J;
  }
  EdgeTable[Hole].Key.store(0, std::memory_order_release);
}

// Graph lock held. False when the table is full.
bool insertEdge(uint64_t Key, Edge *E) {
  if (!EdgeTable)
    EdgeTable = static_cast<EdgeSlot *>(sysMmap(sizeof(EdgeSlot) * EdgeTableSize));
  if (!EdgeTable)
    return false;
  for (size_t I = edgeIndex(Key), N = 0; N < EdgeTableSize / 2;
       I = (I + 1) & (EdgeTableSize - 1), ++N) {
    if (EdgeTable[I].Key.load(std::memory_order_relaxed) != 0)
      continue;
    EdgeTable[I].Value.store(E, std::memory_order_relaxed);
    EdgeTable[I].Key.store(Key, std::memory_order_release);
    return true;
  }
  return false;
}

bool heldExclusively(const ThreadState *T, uint32_t LockId) {
  for (uint32_t I = 0; I < T->HeldCount; ++I)
    if (T->Held[I].Lock->Id == LockId && !T->Held[I].Shared)
      return true;
  return false;
}

// The cycle's signature, to report each set of locks once.
uint64_t cycleSignature(Edge **Cycle, int Length) {
  uint64_t Sum = 0, Xor = 0;
  for (int I = 0; I < Length; ++I) {
    uint64_t K = edgeKey(Cycle[I]->From->Id, Cycle[I]->To->Id) * 0x9E3779B97F4A7C15ull;
    Sum += K;
    Xor ^= K >> 7;
  }
  return (Sum ^ Xor) | 1;
}

bool alreadyReported(uint64_t Sig) {
  for (size_t I = Sig % ReportedSize, N = 0; N < ReportedSize;
       I = (I + 1) % ReportedSize, ++N) {
    if (Reported[I] == Sig)
      return true;
    if (Reported[I] == 0) {
      Reported[I] = Sig;
      return false;
    }
  }
  return true; // a program with thousands of cycles: enough said
}

bool suppressed(Edge **Cycle, int Length) {
  bool OneThread = true;
  for (int I = 0; I < Length; ++I)
    if (Cycle[I]->ManyThreads || Cycle[I]->ThreadId != Cycle[0]->ThreadId)
      OneThread = false;
  if (OneThread)
    return true;
  for (int G = 0; G < Cycle[0]->GateCount; ++G) {
    uint32_t Gate = Cycle[0]->Gates[G];
    bool InAll = true;
    for (int I = 1; I < Length && InAll; ++I) {
      bool Found = false;
      for (int J = 0; J < Cycle[I]->GateCount; ++J)
        Found |= Cycle[I]->Gates[J] == Gate;
      InAll = Found;
    }
    if (InAll)
      return true;
  }
  return false;
}

void reportCycle(Edge **Cycle, int Length) {
  FindingWriter W("lock-order-inversion");
  TextBuffer &M = W.message();
  M.str("locks taken in a cycle of orders: ");
  for (int I = 0; I < Length; ++I) {
    if (I)
      M.str(", ");
    M.str("thread {T").dec(Cycle[I]->ThreadId).str("} takes ");
    lockName(M, Cycle[I]->To);
    M.str(" while holding ");
    lockName(M, Cycle[I]->From);
  }
  M.str(Length == 2 ? "; threads doing both at once each wait for the other forever"
                    : "; threads doing these at once wait for each other forever");
  for (int I = 0; I < Length; ++I)
    W.lock(Cycle[I]->From);
  for (int I = 0; I < Length; ++I) {
    TextBuffer &T = W.stackTitle();
    T.str("thread {T").dec(Cycle[I]->ThreadId).str("} takes ");
    lockName(T, Cycle[I]->To);
    T.str(" while holding ");
    lockName(T, Cycle[I]->From);
    W.stackWithTitle(Cycle[I]->Stack);
  }
  W.finish();
}

// Looks for cycles through E (graph lock held); reports the first one that
// is not suppressed. Depth-first over simple paths from E->To back to
// E->From, within a budget of visited nodes.
void searchCycles(Edge *E) {
  struct Frame {
    LockNode *Node;
    Edge *Next;
    Edge *Via;
  };
  static Frame *Stack;
  static int StackCapacity;
  static Edge **Cycle;
  if (!Stack) {
    StackCapacity = 1024;
    Stack = static_cast<Frame *>(arenaAlloc(sizeof(Frame) * StackCapacity, alignof(Frame)));
    Cycle = static_cast<Edge **>(arenaAlloc(sizeof(Edge *) * (StackCapacity + 1), alignof(Edge *)));
  }
  uint32_t Mark = ++SearchGeneration;
  int Budget = options().max_cycle_search;
  int Depth = 0;
  Stack[Depth++] = Frame{E->To, E->To->OutEdges, E};
  E->To->SearchMark = Mark;
  E->From->SearchMark = Mark;
  while (Depth > 0) {
    Frame &Top = Stack[Depth - 1];
    Edge *Next = Top.Next;
    if (!Next) {
      Top.Node->SearchMark = 0;
      --Depth;
      continue;
    }
    Top.Next = Next->NextOut;
    if (!Next->Counts)
      continue;
    if (Next->To == E->From) {
      int Length = 0;
      for (int I = 0; I < Depth; ++I)
        Cycle[Length++] = Stack[I].Via;
      Cycle[Length++] = Next;
      if (!suppressed(Cycle, Length) && !alreadyReported(cycleSignature(Cycle, Length))) {
        reportCycle(Cycle, Length);
        break;
      }
      continue;
    }
    if (Next->To->SearchMark == Mark || --Budget <= 0)
      continue;
    if (Depth == StackCapacity)
      continue;
    Next->To->SearchMark = Mark;
    Stack[Depth++] = Frame{Next->To, Next->To->OutEdges, Next};
  }
  // Unmark what the early exit left behind.
  for (int I = 0; I < Depth; ++I)
    Stack[I].Node->SearchMark = 0;
  E->From->SearchMark = 0;
}

// Gate locks of this acquisition: locks held exclusively besides From and
// To. A gate is an outer lock, so only the outermost held locks are looked
// at: a thread holding thousands of read locks pays nothing for them.
constexpr uint32_t GateSearchDepth = 32;
uint8_t currentGates(ThreadState *T, LockInfo *From, LockInfo *To, uint32_t *Out) {
  uint8_t N = 0;
  for (uint32_t I = 0; I < T->HeldCount && I < GateSearchDepth && N < MaxGates; ++I) {
    LockInfo *G = T->Held[I].Lock;
    if (G != From && G != To && !T->Held[I].Shared)
      Out[N++] = G->Id;
  }
  return N;
}

RecordPool<LockNode> Nodes;
RecordPool<Edge> Edges;
size_t DeadNodes;

// Graph lock held.
LockNode *nodeFor(LockInfo *L) {
  if (!L->Node) {
    LockNode *N = Nodes.take();
    N->Id = L->Id;
    N->Addr = L->Addr;
    L->Node = N;
  }
  return L->Node;
}

void unlinkOut(LockNode *N, Edge *E) {
  for (Edge **P = &N->OutEdges; *P; P = &(*P)->NextOut)
    if (*P == E) {
      *P = E->NextOut;
      return;
    }
}
void unlinkIn(LockNode *N, Edge *E) {
  for (Edge **P = &N->InEdges; *P; P = &(*P)->NextIn)
    if (*P == E) {
      *P = E->NextIn;
      return;
    }
}

// Graph lock held. A dead lock's edges can never change, so a cycle
// through it needs both an edge into it and one out of it. A dead node
// without one of them is dropped with its edges; that may leave a dead
// neighbour one-sided in turn.
void pruneDeadNode(LockNode *Start) {
  Work.clear();
  Work.push(Start);
  while (Work.Size) {
    LockNode *N = Work.Data[--Work.Size];
    if (!N->Dead || (N->OutEdges && N->InEdges) || N->Order == ~0u)
      continue;
    auto Drop = [&](Edge *E, LockNode *Other) {
      dropEdgeKey(edgeKey(E->From->Id, E->To->Id));
      if (E->Back)
        --BackEdges;
      if (E->Stack)
        freeStack(E->Stack);
      Edges.give(E);
      if (Other->Dead && Other->Order != ~0u)
        Work.push(Other);
    };
    while (Edge *E = N->OutEdges) {
      N->OutEdges = E->NextOut;
      unlinkIn(E->To, E);
      Drop(E, E->To);
    }
    while (Edge *E = N->InEdges) {
      N->InEdges = E->NextIn;
      unlinkOut(E->From, E);
      Drop(E, E->From);
    }
    N->Order = ~0u; // given back: pushed twice, dropped once
    --DeadNodes;
    Nodes.give(N);
  }
}

} // namespace

void lockGraph() { GraphLock.lock(); }
void unlockGraph(bool InForkChild) {
  if (InForkChild)
    GraphLock.reset();
  else
    GraphLock.unlock();
}

// The chain key of T's held locks: computed up from the highest one known,
// which is normally the one just below the top.
uint64_t heldChain(ThreadState *T) {
  uint32_t I = T->HeldCount;
  while (I > 0 && !T->Held[I - 1].Chain)
    --I;
  for (; I < T->HeldCount; ++I)
    T->Held[I].Chain = chainStep(I ? T->Held[I - 1].Chain : ChainSeed, T->Held[I].Lock->Id,
                                 T->Held[I].Shared);
  return T->Held[T->HeldCount - 1].Chain;
}

void recordLockOrder(ThreadState *T, LockInfo *L) {
  bool Multi = liveThreadCount() > 1;
  // A chain validated before (by this thread, with other threads running
  // if they run now) changes nothing: one lookup, whatever the depth.
  uint64_t Chain = heldChain(T);
  uint64_t ChainKey = chainCacheKey(Chain, L, T, Multi);
  if (chainKnown(ChainKey) || (!Multi && chainKnown(chainCacheKey(Chain, L, T, true))))
    return;
  bool Complete = true;
  // Captured once, for every new edge of this acquisition; each edge keeps
  // its own copy, given back when the edge is dropped.
  uintptr_t StackBuffer[MaxFrames + 2];
  StackTrace *Stack = nullptr;
  bool Captured = false;
  // Edges from the most recently taken locks only, as lockdep adds one
  // from the previous lock: the older ones reach L through them, so every
  // cycle is still in the graph, and a thread holding thousands of locks
  // costs a few edges per acquisition, not thousands.
  uint32_t First = T->HeldCount > MaxEdgesPerAcquisition
                       ? T->HeldCount - MaxEdgesPerAcquisition
                       : 0;
  for (uint32_t I = First; I < T->HeldCount; ++I) {
    LockInfo *From = T->Held[I].Lock;
    if (From == L)
      continue;
    uint64_t Key = edgeKey(From->Id, L->Id);
    uint64_t &Cached =
        T->EdgeCache[(Key * 0x9E3779B97F4A7C15ull) >> 59 & (ThreadState::EdgeCacheSize - 1)];
    if (__builtin_expect(Cached == Key, 1))
      continue;
    Edge *E = findEdge(Key);
    if (E && edgeKey(E->From->Id, E->To->Id) != Key)
      E = nullptr; // read while the table changed: look again under the lock
    if (__builtin_expect(E != nullptr, 1)) {
      // Settled for this thread: counted, no gates, and either shared with
      // other threads or first taken by this one. Its flags only ever move
      // towards that state, so the thread need not look again.
      if (E->Counts && E->GateCount == 0 && (E->ManyThreads || E->ThreadId == T->Id)) {
        Cached = Key;
        continue;
      }
      if (!Multi && !E->Counts && E->GateCount == 0 &&
          (E->ManyThreads || E->ThreadId == T->Id))
        continue;
    }
    if (!E && !Captured) {
      Stack = captureStackInto(reinterpret_cast<StackTrace *>(StackBuffer));
      Captured = true;
    }
    SpinGuard G(GraphLock);
    E = findEdge(Key);
    bool Changed = false;
    if (!E) {
      E = Edges.take();
      LockNode *FromNode = nodeFor(From), *ToNode = nodeFor(L);
      E->From = FromNode;
      E->To = ToNode;
      E->ThreadId = T->Id;
      E->Counts = Multi;
      E->GateCount = currentGates(T, From, L, E->Gates);
      if (!insertEdge(Key, E)) {
        Complete = false;
        Edges.give(E);
        continue;
      }
      if (Stack) {
        size_t Size = sizeof(StackTrace) + sizeof(uintptr_t) * Stack->Depth;
        E->Stack = static_cast<StackTrace *>(poolAlloc(Size));
        memCopy(E->Stack, Stack, Size);
      }
      E->NextOut = FromNode->OutEdges;
      FromNode->OutEdges = E;
      E->NextIn = ToNode->InEdges;
      ToNode->InEdges = E;
      if (!placeEdge(FromNode, ToNode)) {
        E->Back = true;
        ++BackEdges;
      }
      Changed = Multi;
    } else {
      if (Multi && !E->Counts) {
        E->Counts = true;
        Changed = true;
      }
      if (E->ThreadId != T->Id && !E->ManyThreads) {
        E->ManyThreads = true;
        Changed = true;
      }
      // Keep only the gates held this time too.
      uint8_t Kept = 0;
      for (uint8_t G2 = 0; G2 < E->GateCount; ++G2)
        if (heldExclusively(T, E->Gates[G2]))
          E->Gates[Kept++] = E->Gates[G2];
      if (Kept != E->GateCount) {
        E->GateCount = Kept;
        Changed = true;
      }
    }
    // An acyclic graph has no cycle to find.
    if (Changed && E->Counts && BackEdges)
      searchCycles(E);
  }
  if (Complete)
    rememberChain(ChainKey);
}

void resetLockOrder() {
  if (EdgeTable)
    memZero(EdgeTable, sizeof(EdgeSlot) * EdgeTableSize);
  if (ChainTable)
    memZero(ChainTable, sizeof(std::atomic<uint64_t>) * ChainTableSize);
  memZero(Reported, sizeof(Reported));
  NextOrder = 0;
  BackEdges = 0;
  DeadNodes = 0;
}

void detachLockNode(LockInfo *L) {
  SpinGuard G(GraphLock);
  LockNode *N = L->Node;
  if (!N)
    return;
  L->Node = nullptr;
  N->Dead = true;
  ++DeadNodes;
  pruneDeadNode(N);
}

size_t deadLockNodes() {
  SpinGuard G(GraphLock);
  return DeadNodes;
}

} // namespace snag::rt
