//===- LockOrderInversion.cpp - lock-order-inversion ----------------------===//
//
// Locks taken in orders that form a cycle. An edge A -> B is recorded where
// a function takes B (itself, or in a callee of this TU) while it holds A
// on every path; a cycle of edges is reported once, unless a common gate lock guards
// every edge, one single thread takes every edge, or an edge is only taken
// while the process runs one thread (main before its first thread start or
// after its last join).
//
// The graph is built per TU for now: a cycle whose edges live in different
// TUs needs the edges in the TU facts and this analysis at the link step.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/LockSummaries.h"
#include "model/Locks.h"
#include "model/Threads.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <map>
#include <set>

using namespace clang;

namespace snag {

namespace {

/// A lock as a node of the program-wide graph.
struct Node {
  std::string Id;       // empty: not a lock with a program-wide identity
  std::string Name;     // as the user reads it
  std::string Instance; // the object for a field of some object ("p:...")
};

Node nodeOf(const LockId &L) {
  Node N;
  llvm::StringRef Key = L.Key;
  if (Key.starts_with("g:")) {
    N.Id = L.Key;
    N.Name = L.Name;
  } else if (Key.starts_with("f:")) {
    if (llvm::StringRef(L.Base).starts_with("g:")) {
      N.Id = L.key(); // a field of a known global object: `a.m`
      N.Name = L.Name;
    } else {
      N.Id = L.Key; // any object of the class: `Account::m`
      N.Name = Key.substr(2).str();
      N.Instance = L.Base;
    }
  }
  return N;
}

struct Edge {
  Node From, To;
  const FunctionDecl *Function = nullptr;
  SourceLocation HoldLoc, TakeLoc;
  /// The call in Function that leads to the take, for an edge through
  /// callees; the chain of calls from there.
  const CallExpr *Via = nullptr;
  std::vector<const CallExpr *> Chain;
  std::set<std::string> Gates; // other locks held on every path
  bool SingleThreaded = false;

  SourceLocation site() const { return Via ? Via->getExprLoc() : TakeLoc; }
};

std::string nameOf(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda())
      return "a lambda";
  return FD->getNameAsString();
}

std::string calleeName(const CallExpr *Call) {
  if (const FunctionDecl *FD = Call->getDirectCallee())
    return FD->getNameAsString();
  return "a function";
}

SourceLocation heldAtLoc(const FunctionLocks &FL, const HeldLock &H) {
  for (const LockEvent &E : FL.events())
    if (E.Site == H.AcquiredAt && E.Lock == H.Lock)
      return E.Loc;
  return H.AcquiredAt ? H.AcquiredAt->getBeginLoc() : SourceLocation();
}

/// Calls in \p FL's CFG, each once.
std::vector<const CallExpr *> callsOf(const FunctionLocks &FL) {
  std::vector<const CallExpr *> Calls;
  if (const CFG *G = FL.cfg())
    for (const CFGBlock *B : *G)
      for (const CFGElement &El : *B)
        if (auto S = El.getAs<CFGStmt>())
          if (const auto *Call = dyn_cast<CallExpr>(S->getStmt()))
            Calls.push_back(Call);
  return Calls;
}

class LockOrder {
public:
  LockOrder(TUContext &Ctx) : Ctx(Ctx), M(LockModel::of(Ctx)),
        SM(Ctx.AST.getSourceManager()) {}

  void run() {
    Bodies = userFunctionBodies(Ctx);
    for (const FunctionDecl *FD : Bodies)
      if (const FunctionLocks *FL = M.forFunction(FD))
        for (const CallExpr *Call : callsOf(*FL))
          if (const FunctionDecl *Callee = Call->getDirectCallee())
            Callers[Callee->getCanonicalDecl()].push_back({FD, Call});
    findThreads();
    for (const FunctionDecl *FD : Bodies)
      collectEdges(FD);
    for (const Edge &E : Edges)
      ByPair[{E.From.Id, E.To.Id}].push_back(&E);
    reportCycles();
  }

private:
  TUContext &Ctx;
  LockModel &M;
  const SourceManager &SM;
  std::vector<const FunctionDecl *> Bodies;
  struct CallSite {
    const FunctionDecl *Caller;
    const CallExpr *Call;
  };
  llvm::DenseMap<const FunctionDecl *, std::vector<CallSite>> Callers;
  std::vector<Edge> Edges;
  std::map<std::pair<std::string, std::string>, std::vector<const Edge *>>
      ByPair;

  // Threads: which roots (thread entries, main) reach each function.
  const FunctionDecl *Main = nullptr;
  SourceLocation FirstStart, LastJoin, LastStart;
  llvm::DenseMap<const FunctionDecl *, std::set<std::string>> Roots;
  std::set<std::string> ManyRoots;
  llvm::DenseMap<const FunctionDecl *, bool> StartupOnly;

  bool before(SourceLocation A, SourceLocation B) const {
    return SM.isBeforeInTranslationUnit(SM.getFileLoc(A), SM.getFileLoc(B));
  }

  void reach(const FunctionDecl *Root, const std::string &Name) {
    std::vector<const FunctionDecl *> Work{Root};
    llvm::DenseSet<const FunctionDecl *> Seen;
    while (!Work.empty()) {
      const FunctionDecl *F = Work.back();
      Work.pop_back();
      F = F->getDefinition() ? F->getDefinition() : F;
      if (!Seen.insert(F).second)
        continue;
      Roots[F].insert(Name);
      if (const FunctionLocks *FL = M.forFunction(F))
        for (const CallExpr *Call : callsOf(*FL))
          if (const FunctionDecl *Callee = Call->getDirectCallee())
            Work.push_back(Callee);
    }
  }

  void findThreads() {
    std::map<const FunctionDecl *, unsigned> StartsOf;
    for (const ThreadStartSite &S : threadStarts(Ctx)) {
      if (!S.Start.Entry)
        continue;
      const FunctionDecl *Entry = S.Start.Entry->getDefinition()
                                      ? S.Start.Entry->getDefinition()
                                      : S.Start.Entry;
      if (++StartsOf[Entry] > 1 || S.InLoop || S.Start.Many)
        ManyRoots.insert(Entry->getQualifiedNameAsString());
      if (S.Caller && S.Caller->isMain()) {
        SourceLocation L = S.Start.Call->getExprLoc();
        if (FirstStart.isInvalid() || before(L, FirstStart))
          FirstStart = L;
        if (LastStart.isInvalid() || before(LastStart, L))
          LastStart = L;
      }
    }
    for (auto &[Entry, N] : StartsOf)
      reach(Entry, Entry->getQualifiedNameAsString());
    for (const FunctionDecl *FD : Bodies)
      if (FD->isMain())
        Main = FD;
    if (!Main)
      return;
    reach(Main, "main");
    if (const FunctionLocks *FL = M.forFunction(Main))
      for (const CallExpr *Call : callsOf(*FL))
        if (auto Op = threadModel(Ctx).handleOp(Call))
          if (Op->Kind == ThreadOpKind::Join &&
              (LastJoin.isInvalid() || before(LastJoin, Call->getExprLoc())))
            LastJoin = Call->getExprLoc();
  }

  /// Whether \p L, in main, runs while main is the only thread.
  bool mainIsAlone(SourceLocation L) const {
    if (FirstStart.isInvalid())
      return false; // no thread start seen: main's callers are unknown
    if (before(L, FirstStart))
      return true;
    return LastJoin.isValid() && before(LastStart, LastJoin) &&
           before(LastJoin, L);
  }

  /// Whether every call of \p FD in this TU runs while main is alone.
  bool startupOnly(const FunctionDecl *FD, unsigned Depth = 0) {
    FD = FD->getDefinition() ? FD->getDefinition() : FD;
    if (FD->isMain() || Depth > 6)
      return false;
    auto Cached = StartupOnly.find(FD);
    if (Cached != StartupOnly.end())
      return Cached->second;
    StartupOnly[FD] = false; // recursion: not proven
    auto It = Callers.find(FD->getCanonicalDecl());
    bool Result = It != Callers.end() && !It->second.empty();
    if (Result)
      for (const CallSite &C : It->second)
        if (!(C.Caller->isMain() ? mainIsAlone(C.Call->getExprLoc())
                                 : startupOnly(C.Caller, Depth + 1)))
          Result = false;
    // A thread entry runs on its own thread.
    if (Roots.count(FD))
      for (const std::string &R : Roots[FD])
        if (R != "main")
          Result = false;
    return StartupOnly[FD] = Result;
  }

  bool singleThreaded(const FunctionDecl *FD, SourceLocation At) {
    if (FD->isMain())
      return mainIsAlone(At);
    return startupOnly(FD);
  }

  static bool blocking(const LockEvent &E) {
    return (E.Op == LockOp::Acquire || E.Op == LockOp::AcquireShared) &&
           !adoptsLock(E);
  }

  void addEdges(const FunctionDecl *FD, const FunctionLocks &FL,
                const HeldState &Held, const Node &To, SourceLocation TakeLoc,
                const Stmt *TakeSite, const CallExpr *Via,
                const std::vector<const CallExpr *> &Chain) {
    // Only locks held on every path: a lock that one branch released is
    // path-insensitive noise more often than an order.
    for (const HeldLock &H : Held.Must.locks()) {
      if (H.AcquiredAt == TakeSite)
        continue; // std::scoped_lock / std::lock: all at once
      Node From = nodeOf(H.Lock);
      if (From.Id.empty())
        continue;
      if (From.Id == To.Id &&
          !(llvm::StringRef(From.Instance).starts_with("p:") &&
            llvm::StringRef(To.Instance).starts_with("p:") &&
            From.Instance != To.Instance))
        continue; // the same lock again is double-lock's business
      Edge E;
      E.From = From;
      E.To = To;
      E.Function = FD;
      E.HoldLoc = heldAtLoc(FL, H);
      E.TakeLoc = TakeLoc;
      E.Via = Via;
      E.Chain = Chain;
      for (const HeldLock &G : Held.Must.locks()) {
        Node GN = nodeOf(G.Lock);
        if (!GN.Id.empty() && GN.Id != From.Id)
          E.Gates.insert(GN.Id);
      }
      E.SingleThreaded = singleThreaded(FD, Via ? Via->getExprLoc() : TakeLoc);
      Edges.push_back(std::move(E));
    }
  }

  void collectEdges(const FunctionDecl *FD) {
    const FunctionLocks *FL = M.forFunction(FD);
    if (!FL)
      return;
    for (const LockEvent &E : FL->events()) {
      if (!blocking(E) || E.Before.Must.empty())
        continue;
      Node To = nodeOf(E.Lock);
      if (!To.Id.empty())
        addEdges(FD, *FL, E.Before, To, E.Loc, E.Site, nullptr, {});
    }
    for (const CallExpr *Call : callsOf(*FL)) {
      const HeldState *Held = FL->heldAt(Call);
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (!Held || Held->Must.empty() || !Callee || !Callee->getDefinition() ||
          M.apiFor(Call))
        continue;
      for (const TakenLock &T : locksTakenBy(M, Callee->getDefinition())) {
        LockId Mapped = lockInCaller(T.Lock, Call, Callee, Ctx.AST);
        Node To = nodeOf(Mapped.valid() ? Mapped : T.Lock);
        if (To.Id.empty())
          continue;
        addEdges(FD, *FL, *Held, To, T.Loc, Call, Call, T.Chain);
      }
    }
  }

  const std::set<std::string> &rootsOf(const FunctionDecl *FD) {
    static const std::set<std::string> Unknown{"?"};
    FD = FD->getDefinition() ? FD->getDefinition() : FD;
    auto It = Roots.find(FD);
    return It == Roots.end() ? Unknown : It->second;
  }

  /// Whether the edges chosen for a cycle can deadlock: no common gate,
  /// and not all taken by one single thread.
  bool canDeadlock(const std::vector<const Edge *> &Cycle) {
    std::set<std::string> Common = Cycle.front()->Gates;
    for (const Edge *E : Cycle) {
      std::set<std::string> Next;
      for (const std::string &G : E->Gates)
        if (Common.count(G))
          Next.insert(G);
      Common.swap(Next);
    }
    if (!Common.empty())
      return false;
    const std::set<std::string> &First = rootsOf(Cycle.front()->Function);
    if (First.size() == 1 && *First.begin() != "?" &&
        !ManyRoots.count(*First.begin())) {
      bool AllSame = true;
      for (const Edge *E : Cycle)
        if (rootsOf(E->Function) != First)
          AllSame = false;
      if (AllSame)
        return false;
    }
    return true;
  }

  /// Picks one edge per step of the node cycle that can deadlock, if any.
  bool choose(const std::vector<std::string> &Nodes,
              std::vector<const Edge *> &Chosen, size_t I, unsigned &Budget) {
    if (Budget == 0)
      return false;
    if (I == Nodes.size()) {
      --Budget;
      return canDeadlock(Chosen);
    }
    const std::string &To = Nodes[(I + 1) % Nodes.size()];
    auto It = ByPair.find({Nodes[I], To});
    if (It == ByPair.end())
      return false;
    for (const Edge *E : It->second) {
      if (E->SingleThreaded)
        continue;
      Chosen.push_back(E);
      if (choose(Nodes, Chosen, I + 1, Budget))
        return true;
      Chosen.pop_back();
    }
    return false;
  }

  void reportCycles() {
    std::map<std::string, std::set<std::string>> Succ;
    for (const auto &[Pair, List] : ByPair)
      Succ[Pair.first].insert(Pair.second);
    // Elementary cycles up to four locks long, each found from its
    // smallest node only.
    std::vector<std::vector<std::string>> Cycles;
    std::vector<std::string> Path;
    std::function<void(const std::string &)> Walk =
        [&](const std::string &N) {
          for (const std::string &Next : Succ[N]) {
            if (Next == Path.front()) {
              Cycles.push_back(Path);
            } else if (Next > Path.front() && Path.size() < 4 &&
                       std::find(Path.begin(), Path.end(), Next) ==
                           Path.end()) {
              Path.push_back(Next);
              Walk(Next);
              Path.pop_back();
            }
          }
        };
    for (const auto &[N, _] : Succ) {
      Path = {N};
      Walk(N);
    }
    for (const std::vector<std::string> &Nodes : Cycles) {
      std::vector<const Edge *> Chosen;
      unsigned Budget = 256;
      if (choose(Nodes, Chosen, 0, Budget))
        report(Chosen);
    }
  }

  std::string quoted(const std::string &S) const { return "`" + S + "`"; }

  void report(std::vector<const Edge *> Cycle) {
    // Start at the edge that comes first in the file.
    size_t First = 0;
    for (size_t I = 1; I < Cycle.size(); ++I)
      if (before(Cycle[I]->site(), Cycle[First]->site()))
        First = I;
    std::rotate(Cycle.begin(), Cycle.begin() + First, Cycle.end());
    const Edge &P = *Cycle.front();
    Finding F;
    F.RuleId = "lock-order-inversion";
    F.Where = Ctx.point(P.site());
    std::string Orders;
    for (const Edge *E : Cycle) {
      if (!Orders.empty())
        Orders += ", and ";
      Orders += quoted(nameOf(E->Function)) + " takes " + quoted(E->To.Name) +
                " while holding " + quoted(E->From.Name);
    }
    if (Cycle.size() == 1) {
      F.Message = quoted(P.To.Name) + " of one object is taken while holding " +
                  quoted(P.From.Name) + " of another in " +
                  quoted(nameOf(P.Function)) +
                  ": two threads running it with the objects swapped each "
                  "hold one and wait for the other for ever";
    } else if (Cycle.size() == 2) {
      F.Message = quoted(P.From.Name) + " and " + quoted(P.To.Name) +
                  " are taken in opposite orders: " + Orders +
                  "; two threads running these at once can each hold one and "
                  "wait for the other for ever";
    } else {
      F.Message = "locks are taken in orders that form a cycle: " + Orders +
                  "; threads running these at once can deadlock";
    }
    for (size_t I = 0; I < Cycle.size(); ++I) {
      const Edge &E = *Cycle[I];
      std::string Fn = nameOf(E.Function);
      F.Related.push_back({Ctx.point(E.HoldLoc),
                           quoted(Fn) + " holds " + quoted(E.From.Name) +
                               " here"});
      if (E.Via)
        F.Related.push_back({Ctx.point(E.Via->getExprLoc()),
                             quoted(Fn) + " calls " + quoted(calleeName(E.Via)) +
                                 " here while holding " + quoted(E.From.Name)});
      if (I > 0 || E.Via)
        F.Related.push_back({Ctx.point(E.TakeLoc),
                             (E.Via ? quoted(calleeName(E.Chain.empty()
                                                            ? E.Via
                                                            : E.Chain.back()))
                                    : quoted(Fn)) +
                                 " takes " + quoted(E.To.Name) + " here"});
    }
    std::set<std::string> Names;
    for (const Edge *E : Cycle)
      Names.insert(E->From.Name);
    for (const std::string &N : Names)
      F.FingerprintKey += N + "|";
    Ctx.report(std::move(F));
  }
};

} // namespace

void checkLockOrderInversion(TUContext &Ctx) { LockOrder(Ctx).run(); }

} // namespace snag
