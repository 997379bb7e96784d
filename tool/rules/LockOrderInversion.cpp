//===- LockOrderInversion.cpp - lock-order-inversion ----------------------===//
//
// Locks taken in orders that form a cycle, program-wide. An edge A -> B is
// recorded where a function takes B (itself, or in a callee in any TU)
// while it holds A on every path; a cycle of edges is reported once, unless
// a common gate lock guards every edge (held by the function or around every
// call of it, in any TU), one single thread takes every edge,
// or an edge is only taken while the process runs one thread (main before
// its first thread start or after its last join).
//
// Runs at the link step on the lock facts of every TU (model/LockFacts.h),
// so a cycle whose edges live in different TUs is found like any other.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/LockFacts.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace snag {

namespace {

/// A lock as a node of the program-wide graph.
struct Node {
  std::string Id;       // empty: not a lock with a program-wide identity
  std::string Name;     // as the user reads it
  std::string Instance; // the object for a field of some object ("p:...")
};

Node nodeOf(const LinkLock &L) {
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
  const LockFn *Function = nullptr;
  LinkSite HoldAt, TakeAt;
  /// The call in Function that leads to the take, for an edge through
  /// callees, and the chain of calls from there.
  const LockCallFact *Via = nullptr;
  std::vector<std::pair<LinkSite, std::string>> Chain;
  std::set<std::string> Gates; // other locks held on every path
  bool SingleThreaded = false;

  LinkSite site() const {
    return Via ? LinkSite{Function->Unit, Function->UnitIndex, Via->At}
               : TakeAt;
  }
};

std::string nameOf(const LockFn &F) {
  return F.Fn->Name == "lambda" ? "a lambda" : F.Fn->Name;
}

class LockOrder {
public:
  LockOrder(LinkContext &Ctx) : Ctx(Ctx), Index(Ctx.Units) {}

  void run() {
    for (const LockFn &F : Index.functions())
      collectEdges(F);
    for (const Edge &E : Edges)
      ByPair[{E.From.Id, E.To.Id}].push_back(&E);
    reportCycles();
    for (const LockFn &F : Index.functions())
      reportElementCycles(F);
  }

private:
  LinkContext &Ctx;
  LockFactsIndex Index;
  std::vector<Edge> Edges;
  std::map<std::pair<std::string, std::string>, std::vector<const Edge *>>
      ByPair;

  bool singleThreaded(const LockFn &F, bool Alone) {
    if (F.Fn->IsMain)
      return Alone;
    return Index.startupOnly(F.Fn->Usr);
  }

  void addEdges(const LockFn &F, const std::vector<HeldLockFact> &Must,
                const Node &To, LinkSite TakeAt, const LockCallFact *Via,
                const std::vector<std::pair<LinkSite, std::string>> &Chain,
                bool Alone) {
    // Only locks held on every path: a lock that one branch released is
    // path-insensitive noise more often than an order.
    for (const HeldLockFact &H : Must) {
      Node From = nodeOf(Index.lock(F, H.Lock));
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
      E.Function = &F;
      E.HoldAt = Index.site(F, H.At);
      E.TakeAt = TakeAt;
      E.Via = Via;
      E.Chain = Chain;
      for (const HeldLockFact &G : Must) {
        Node GN = nodeOf(Index.lock(F, G.Lock));
        if (!GN.Id.empty() && GN.Id != From.Id)
          E.Gates.insert(GN.Id);
      }
      // A gate its callers hold around every call, in any TU.
      for (const std::string &G : Index.callerGates(F.Fn->Usr))
        if (G != From.Id)
          E.Gates.insert(G);
      E.SingleThreaded = singleThreaded(F, Alone);
      Edges.push_back(std::move(E));
    }
  }

  void collectEdges(const LockFn &F) {
    for (const LockTakeFact &T : F.Fn->Takes) {
      if (T.Must.empty())
        continue;
      Node To = nodeOf(Index.lock(F, T.Lock));
      if (!To.Id.empty())
        addEdges(F, T.Must, To, Index.site(F, T.At), nullptr, {}, T.Alone);
    }
    for (const LockCallFact &C : F.Fn->Calls) {
      if (C.Must.empty())
        continue;
      // Copy: takenBy() may grow the index's memo.
      std::vector<LinkTaken> Taken = Index.takenBy(C.Callee, 4, &C);
      for (const LinkTaken &T : Taken) {
        std::optional<LinkLock> Mapped = Index.inCaller(T.Lock, F, C);
        Node To = nodeOf(Mapped ? *Mapped : T.Lock);
        if (To.Id.empty())
          continue;
        addEdges(F, C.Must, To, T.At, &C, T.Chain, C.Alone);
      }
    }
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
    const std::set<std::string> &First =
        Index.rootsOf(Cycle.front()->Function->Fn->Usr);
    if (First.size() == 1 && !Index.manyInstances(*First.begin())) {
      bool AllSame = true;
      for (const Edge *E : Cycle)
        if (Index.rootsOf(E->Function->Fn->Usr) != First)
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
    std::vector<std::string> Starts;
    for (const auto &[N, _] : Succ)
      Starts.push_back(N);
    for (const std::string &N : Starts) {
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

  static std::string quoted(const std::string &S) { return "`" + S + "`"; }

  /// One element of an array of locks taken while holding another, by
  /// indices in no fixed order (the dining philosophers): threads running
  /// it with different indices can close a cycle around the array. Needs
  /// two threads that may run it at once.
  void reportElementCycles(const LockFn &F) {
    for (const LockTakeFact &T : F.Fn->Takes) {
      if (T.ElementTaken.empty())
        continue;
      const std::set<std::string> &Roots = Index.rootsOf(F.Fn->Usr);
      bool Several = Roots.size() > 1 ||
                     llvm::any_of(Roots, [&](const std::string &R) {
                       return Index.manyInstances(R);
                     });
      if (!Several || (F.Fn->IsMain && T.Alone))
        continue;
      Finding Out;
      Out.RuleId = "lock-order-inversion";
      Out.Origin = "check";
      Out.Where = Index.site(F, T.At).point();
      Out.Message = quoted(T.ElementTaken) + " is taken while holding " +
                    quoted(T.ElementHeld) + " in " + quoted(nameOf(F)) +
                    ", another element of the same array of locks, with no "
                    "order between the two: threads running it with "
                    "different indices can each hold one element and wait "
                    "for the next, around the array (take the elements in "
                    "index order)";
      Out.Related.push_back({Index.site(F, T.ElementHeldAt).point(),
                             quoted(nameOf(F)) + " holds " +
                                 quoted(T.ElementHeld) + " here"});
      Out.FingerprintKey = T.ElementHeld + "|" + T.ElementTaken;
      Ctx.report(std::move(Out));
    }
  }

  void report(std::vector<const Edge *> Cycle) {
    // Start at the edge that comes first in the program.
    size_t First = 0;
    for (size_t I = 1; I < Cycle.size(); ++I)
      if (Cycle[I]->site() < Cycle[First]->site())
        First = I;
    std::rotate(Cycle.begin(), Cycle.begin() + First, Cycle.end());
    const Edge &P = *Cycle.front();
    Finding F;
    F.RuleId = "lock-order-inversion";
    F.Origin = "check";
    F.Where = P.site().point();
    std::string Orders;
    for (const Edge *E : Cycle) {
      if (!Orders.empty())
        Orders += ", and ";
      Orders += quoted(nameOf(*E->Function)) + " takes " + quoted(E->To.Name) +
                " while holding " + quoted(E->From.Name);
    }
    if (Cycle.size() == 1) {
      F.Message = quoted(P.To.Name) + " of one object is taken while holding " +
                  quoted(P.From.Name) + " of another in " +
                  quoted(nameOf(*P.Function)) +
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
      std::string Fn = nameOf(*E.Function);
      F.Related.push_back({E.HoldAt.point(), quoted(Fn) + " holds " +
                                                 quoted(E.From.Name) +
                                                 " here"});
      if (E.Via)
        F.Related.push_back({E.site().point(),
                             quoted(Fn) + " calls " + quoted(E.Via->Name) +
                                 " here while holding " + quoted(E.From.Name)});
      if (I > 0 || E.Via)
        F.Related.push_back(
            {E.TakeAt.point(),
             (E.Via ? quoted(E.Chain.empty() ? E.Via->Name
                                             : E.Chain.back().second)
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

void checkLockOrderInversion(LinkContext &Ctx) { LockOrder(Ctx).run(); }

} // namespace snag
