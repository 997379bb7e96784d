//===- Concurrency.cpp - Threads, call contexts and may-run-in-parallel ---===//
#include "link/Concurrency.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

namespace snag {

namespace {

/// Where a function's facts live.
struct FnRef {
  const TUFacts *Unit = nullptr;
  const FunctionFacts *Fn = nullptr;
  unsigned FirstStartId = 0; // program-wide id of its first start
};

/// What a function is called with, in program-wide terms.
struct CallContext {
  std::map<std::string, std::string> Bindings; // "0".."N", "this" -> key
  std::set<std::string> Held;                  // lock keys held by callers
  std::map<std::string, std::string> HeldNames;
  std::set<unsigned> Running;                  // starts running (main only)
  std::set<unsigned> Joined; // starts a thread joined before the call (threads only)
  /// Library walks: a caller handed the object's lock to code snag does
  /// not read (FunctionFacts::HandsOwnLock), so what is held is unknown.
  bool Opaque = false;

  std::string signature(const std::string &Usr) const {
    std::string S = Usr;
    for (const auto &[K, V] : Bindings)
      S += "\x01" + K + "=" + V;
    for (const std::string &H : Held)
      S += "\x02" + H;
    for (unsigned R : Running)
      S += "\x03" + std::to_string(R);
    for (unsigned J : Joined)
      S += "\x04" + std::to_string(J);
    if (Opaque)
      S += "\x05";
    return S;
  }
};

/// The walk's bound on calling contexts: it caps time and memory on trees
/// whose threads all reach the same functions. SNAG_MAX_CONTEXTS lowers or
/// raises it (for tests, and for a tree that needs more).
unsigned maxVisits() {
  static const unsigned Max = [] {
    unsigned V = 200000;
    if (const char *E = std::getenv("SNAG_MAX_CONTEXTS"))
      llvm::StringRef(E).getAsInteger(10, V);
    return V;
  }();
  return Max;
}

class Builder {
public:
  Builder(llvm::ArrayRef<const TUFacts *> Units,
          std::vector<ThreadRoot> &Roots, std::vector<ResolvedAccess> &Out)
      : Roots(Roots), Out(Out) {
    unsigned NextStart = 0;
    for (const TUFacts *U : Units)
      for (const FunctionFacts &F : U->Program.Functions) {
        auto [It, New] = Fns.try_emplace(F.Usr, FnRef{U, &F, NextStart});
        if (New) {
          NextStart += F.Starts.size();
          for (unsigned I = 0; I < F.Starts.size(); ++I) {
            for (const std::string *K : {&F.Starts[I].Handle, &F.Starts[I].Family})
              if (!K->empty())
                StartsByJoinKey[*K].push_back(StartOwner.size());
            StartOwner.push_back({&It->second, I});
          }
        }
      }
  }

  /// Whether the walk stopped at its bound (MaxVisits) and left contexts
  /// unvisited: some accesses, and so some races, are missing.
  bool truncated() const { return Visits > maxVisits(); }

  void run() {
    computeEscapes();
    // Main first: it discovers the threads and what runs while they do.
    ThreadRoot Main;
    Main.IsMain = true;
    Roots.push_back(Main);
    for (const auto &Entry : Fns)
      if (Entry.second.Fn->Name == "main") {
        visit(Entry.second, CallContext(), 0);
        break;
      }
    // Functions that start threads but that main never reaches (a library's
    // entry points, a test's cases, a TU without main) run as if main called
    // them, one after the other.
    llvm::StringSet<> RunByThreads = reachableFromThreadEntries();
    std::vector<const FnRef *> Entries;
    for (const auto &Entry : Fns)
      if (!Entry.second.Fn->Starts.empty() && !VisitedInMain.count(Entry.first()) &&
          !RunByThreads.count(Entry.first()))
        Entries.push_back(&Entry.second);
    llvm::sort(Entries, [](const FnRef *A, const FnRef *B) {
      return A->Fn->Usr < B->Fn->Usr;
    });
    for (const FnRef *F : Entries)
      if (!VisitedInMain.count(F->Fn->Usr))
        visit(*F, CallContext(), 0);
    // Walk each thread from its entry; the walks find the threads that
    // threads start. Starts that still nobody reaches run alongside
    // everything.
    unsigned Walked = 1;
    auto WalkNew = [&] {
      for (; Walked < Roots.size(); ++Walked) {
        unsigned R = Walked;
        auto It = Fns.find(Roots[R].Start->Entry);
        if (It == Fns.end())
          continue;
        CallContext Ctx;
        const auto &[StartCtx, StartRoot] = StartContexts[R];
        for (unsigned I = 0; I < Roots[R].Start->Args.size(); ++I)
          Ctx.Bindings[std::to_string(I)] =
              resolveBinding(Roots[R].Start->Args[I], StartCtx, StartRoot,
                             Roots[R].StartedIn->Usr);
        if (!Roots[R].Object.empty())
          Ctx.Bindings["this"] = Roots[R].Object;
        visit(It->second, Ctx, R);
      }
    };
    WalkNew();
    for (unsigned Id = 0; Id < StartOwner.size(); ++Id)
      if (!RootOfStart.count(Id)) {
        noteStart(Id, CallContext(), /*FromThread=*/true, ~0u);
        WalkNew();
      }
  }

  /// Walks each public method of each library class (ThreadRoot::Library)
  /// that no thread of a program reaches (\p Reached: class USRs).
  void runLibrary(const std::set<std::string> &Reached) {
    Library = true;
    ThreadRoot Main; // root 0 stays main, which walks nothing here
    Main.IsMain = true;
    Roots.push_back(Main);
    std::map<std::string, std::vector<const FnRef *>> Methods;
    std::set<std::string> Locking;
    for (const auto &Entry : Fns) {
      const FnRef &F = Entry.second;
      const std::string &C = F.Fn->Class;
      if (C.empty() || Reached.count(C))
        continue;
      if (F.Fn->Public)
        Methods[C].push_back(&F);
      if (takesOwnLock(F))
        Locking.insert(C);
    }
    for (auto &[Class, Entries] : Methods) {
      if (!Locking.count(Class))
        continue;
      llvm::sort(Entries, [](const FnRef *A, const FnRef *B) {
        return A->Fn->Usr < B->Fn->Usr;
      });
      for (const FnRef *M : Entries) {
        ThreadRoot T;
        T.Library = true;
        T.Class = Class;
        T.Unit = M->Unit;
        T.StartedIn = M->Fn;
        T.Many = true;
        unsigned R = Roots.size();
        Roots.push_back(std::move(T));
        CallContext Ctx;
        Ctx.Bindings["this"] = "c:" + Class;
        visit(*M, Ctx, R);
      }
    }
  }

  /// The classes whose methods some thread other than main runs.
  std::set<std::string> classesInThreads() const {
    std::set<std::string> Out;
    for (const auto &Entry : VisitedInThreads)
      if (auto It = Fns.find(Entry.first()); It != Fns.end() &&
                                            !It->second.Fn->Class.empty())
        Out.insert(It->second.Fn->Class);
    return Out;
  }

private:
  std::vector<ThreadRoot> &Roots;
  std::vector<ResolvedAccess> &Out;
  llvm::StringMap<FnRef> Fns;
  std::vector<std::pair<const FnRef *, unsigned>> StartOwner;
  std::map<unsigned, unsigned> RootOfStart; // the first root of each start
  /// The root of each start and object it runs on (ThreadRoot::Object).
  std::map<std::pair<unsigned, std::string>, unsigned> RootOfInstance;
  /// By root: the context of the function that starts it, and the root
  /// that function ran in.
  std::map<unsigned, std::pair<CallContext, unsigned>> StartContexts;
  llvm::StringSet<> Seen; // (root, function, context) walks done: membership only
  unsigned Visits = 0;
  std::set<unsigned> Escaping; // starts that outlive their function
  llvm::StringSet<> VisitedInMain;
  llvm::StringSet<> VisitedInThreads;
  bool Library = false; // walking library roots (runLibrary)

  /// A lock key of this object ("f:C::mu_@this"), reader or not.
  static bool ownLockKey(llvm::StringRef K) {
    K.consume_back("#shared");
    return K.starts_with("f:") && K.ends_with("@this");
  }

  /// Whether \p F holds a lock of its own object somewhere.
  bool takesOwnLock(const FnRef &F) const {
    auto Own = [&](uint32_t H) {
      return H < F.Unit->Program.Locks.size() &&
             ownLockKey(F.Unit->Program.Locks[H].Key);
    };
    auto AnyOwn = [&](const std::vector<uint32_t> &Held) {
      return llvm::any_of(Held, Own);
    };
    return AnyOwn(F.Fn->Assumed) ||
           llvm::any_of(F.Fn->Accesses,
                        [&](const AccessFact &A) { return AnyOwn(A.Held); }) ||
           llvm::any_of(F.Fn->Calls,
                        [&](const CallFact &C) { return AnyOwn(C.Held); });
  }
  llvm::StringSet<> SeenAccess;

  /// Every function some thread start's entry may call.
  llvm::StringSet<> reachableFromThreadEntries() const {
    llvm::StringSet<> Seen;
    std::vector<std::string> Work;
    for (const auto &[Ref, I] : StartOwner)
      Work.push_back(Ref->Fn->Starts[I].Entry);
    while (!Work.empty()) {
      std::string U = std::move(Work.back());
      Work.pop_back();
      if (U.empty() || !Seen.insert(U).second)
        continue;
      auto It = Fns.find(U);
      if (It == Fns.end())
        continue;
      for (const CallFact &C : It->second.Fn->Calls)
        Work.push_back(C.Callee);
    }
    return Seen;
  }

  void computeEscapes() {
    for (unsigned Id = 0; Id < StartOwner.size(); ++Id) {
      const auto &[Ref, I] = StartOwner[Id];
      if (Ref->Fn->Starts[I].Escapes)
        Escaping.insert(Id);
    }
  }

  /// A binding from the caller, resolved in the caller's context, which
  /// runs in thread \p Root: a local object of the caller is that
  /// thread's. (Unknown parameters of \p Usr, the caller, stay its own:
  /// "u:<Usr>:N".)
  std::string resolveBinding(const Binding &B, const CallContext &Ctx,
                             unsigned Root, const std::string &Usr) {
    if (B.empty() || B == "-")
      return B;
    if (llvm::StringRef(B).starts_with("o:")) {
      size_t Bar = B.find('|');
      return B.substr(0, Bar) + "@" + std::to_string(Root) +
             (Bar == std::string::npos ? "" : B.substr(Bar));
    }
    return resolveKey(B, Ctx, Usr);
  }

  /// Whether \p Key, resolved in thread \p Root, is a local object of a
  /// function that thread runs ("o:<USR>@<Root>").
  static bool instanceLocal(llvm::StringRef Key, unsigned Root) {
    if (!Key.consume_front("o:"))
      return false;
    Key = Key.take_until([](char C) { return C == '|'; });
    return Key.rsplit('@').second == std::to_string(Root);
  }

  /// A location key of a function, in program-wide terms. "-" when it is
  /// the callee's own copy.
  static std::string resolveKey(const std::string &Key, const CallContext &Ctx,
                                const std::string &Usr) {
    if (Key.find("[%") != std::string::npos)
      return resolveKey(resolveIndices(Key, Ctx), Ctx, Usr);
    if (!llvm::StringRef(Key).starts_with("p:"))
      return Key;
    size_t Bar = Key.find('|');
    std::string Param = Key.substr(2, Bar == std::string::npos ? std::string::npos : Bar - 2);
    std::string Rest = Bar == std::string::npos ? "" : Key.substr(Bar);
    auto It = Ctx.Bindings.find(Param);
    if (It == Ctx.Bindings.end() || It->second.empty())
      return "u:" + Usr + ":" + Param + Rest;
    if (It->second == "-" || It->second == "#")
      return "-";
    return upSteps(It->second + Rest);
  }

  /// Takes "|^" (the object that holds what the key names, from a
  /// container_of) back a step: "x|*|.link|^|.result" is "x|*|.result".
  static std::string upSteps(std::string Key) {
    for (size_t Up; (Up = Key.find("|^")) != std::string::npos;) {
      size_t Prev = Key.rfind('|', Up == 0 ? 0 : Up - 1);
      if (Prev == std::string::npos || Prev == Up ||
          Key.compare(Prev, 2, "|.") != 0)
        break; // not below a member: leave it
      Key.erase(Prev, Up + 2 - Prev);
    }
    return Key;
  }

  /// "[%N]", an index that is parameter N's value: "[#]" where the thread
  /// start gave each instance its own loop index ("#"), else "[*]".
  static std::string resolveIndices(const std::string &Key, const CallContext &Ctx) {
    std::string Out;
    size_t At = 0;
    for (size_t Open; (Open = Key.find("[%", At)) != std::string::npos;) {
      size_t Close = Key.find(']', Open);
      if (Close == std::string::npos)
        break;
      auto It = Ctx.Bindings.find(Key.substr(Open + 2, Close - Open - 2));
      Out += Key.substr(At, Open - At);
      Out += It != Ctx.Bindings.end() && It->second == "#" ? "[#]" : "[*]";
      At = Close + 1;
    }
    return Out + Key.substr(At);
  }

  void noteStart(unsigned Id, const CallContext &Ctx, bool FromThread,
                 unsigned Parent) {
    const auto &[Ref, I] = StartOwner[Id];
    const StartFact &S = Ref->Fn->Starts[I];
    std::set<unsigned> RunningHere = Ctx.Running;
    for (uint32_t R : S.Running)
      RunningHere.insert(Ref->FirstStartId + R);
    std::string Object =
        Parent == ~0u ? "" : resolveBinding(S.Object, Ctx, Parent, Ref->Fn->Usr);
    if (llvm::StringRef(Object).starts_with("u:"))
      Object = ""; // no object snag can name: one root, as before
    auto It = RootOfInstance.find({Id, Object});
    if (It != RootOfInstance.end()) {
      // Reached again: a second instance, at once with the first unless
      // main reached it again after the first was joined.
      ThreadRoot &T = Roots[It->second];
      // A job of a queue one thread drains runs after the one before.
      T.Many |= S.Queue.empty() &&
                (FromThread || T.FromThread || RunningHere.count(Id));
      T.RunningAtStart.insert(RunningHere.begin(), RunningHere.end());
      T.FromThread |= FromThread;
      T.Parents.insert(Parent);
      return;
    }
    ThreadRoot T;
    T.Unit = Ref->Unit;
    T.StartedIn = Ref->Fn;
    T.Start = &S;
    T.StartId = Id;
    T.Many = S.Many;
    T.FromThread = FromThread;
    T.Parents.insert(Parent);
    T.RunningAtStart = std::move(RunningHere);
    T.Object = Object;
    RootOfStart.try_emplace(Id, Roots.size());
    RootOfInstance[{Id, Object}] = Roots.size();
    StartContexts[Roots.size()] = {Ctx, Parent == ~0u ? 0 : Parent};
    Roots.push_back(std::move(T));
  }

  std::vector<std::string> lockKeys(const FnRef &F, llvm::ArrayRef<uint32_t> Held,
                                    const CallContext &Ctx,
                                    std::vector<std::string> *Names) {
    std::set<std::string> Keys = Ctx.Held;
    std::map<std::string, std::string> N = Ctx.HeldNames;
    auto Add = [&](uint32_t H) {
      if (H >= F.Unit->Program.Locks.size())
        return;
      const LockFact &L = F.Unit->Program.Locks[H];
      std::string K = L.Key;
      // On a library object, a lock of `this` is named by the object it
      // belongs to: "@c:<class>" is the class's own lock.
      if (Library && ownLockKey(K)) {
        auto It = Ctx.Bindings.find("this");
        if (It != Ctx.Bindings.end() && !It->second.empty() && It->second != "-")
          K.replace(K.rfind("@this"), 5, "@" + It->second);
      }
      Keys.insert(K);
      N[K] = L.Name;
    };
    for (uint32_t H : Held)
      Add(H);
    // Locks the function holds by contract hold for all it does.
    for (uint32_t H : F.Fn->Assumed)
      Add(H);
    if (Names)
      for (const std::string &K : Keys)
        Names->push_back(N[K]);
    return {Keys.begin(), Keys.end()};
  }

  /// Threads started by \p F or its callees that may still run when it
  /// returns.
  const std::set<unsigned> &escapesOf(const FnRef &F) {
    auto It = EscapeMemo.find(F.Fn->Usr);
    if (It != EscapeMemo.end())
      return It->second;
    EscapeMemo[F.Fn->Usr]; // an empty answer while recursing cuts cycles
    std::set<unsigned> Out;
    for (unsigned I = 0; I < F.Fn->Starts.size(); ++I)
      if (F.Fn->Starts[I].Escapes)
        Out.insert(F.FirstStartId + I);
    for (const CallFact &C : F.Fn->Calls)
      if (auto CIt = Fns.find(C.Callee); CIt != Fns.end()) {
        const std::set<unsigned> &Sub = escapesOf(CIt->second);
        Out.insert(Sub.begin(), Sub.end());
      }
    // A thread a later call joins (`launch` here, `join_all` there) does
    // not outlive the function.
    for (auto It = Out.begin(); It != Out.end();) {
      std::optional<FactSite> From = latestOrigin(F, *It, nullptr);
      if (From && joinedAfter(F, *It, *From, nullptr))
        It = Out.erase(It);
      else
        ++It;
    }
    return EscapeMemo[F.Fn->Usr] = std::move(Out);
  }

  //===--------------------------------------------------------------------===//
  // Joins across functions: a handle kept in a global, or a loop of joins
  // over the field that holds every handle.
  //===--------------------------------------------------------------------===//

  /// Every handle key the calls of \p F, and their callees, join.
  const std::set<std::string> &joinsOf(const FnRef &F) {
    auto It = JoinMemo.find(F.Fn->Usr);
    if (It != JoinMemo.end())
      return It->second;
    JoinMemo[F.Fn->Usr]; // cuts cycles
    std::set<std::string> Out;
    for (const CallFact &C : F.Fn->Calls) {
      Out.insert(C.Joins.begin(), C.Joins.end());
      if (auto CIt = Fns.find(C.Callee); CIt != Fns.end()) {
        const std::set<std::string> &Sub = joinsOf(CIt->second);
        Out.insert(Sub.begin(), Sub.end());
      }
    }
    return JoinMemo[F.Fn->Usr] = std::move(Out);
  }
  std::map<std::string, std::set<std::string>> JoinMemo;
  /// The starts whose handle a join key (StartFact::Handle, Family) names.
  std::map<std::string, std::vector<unsigned>> StartsByJoinKey;

  /// The starts that calls of \p F written before \p At join: on a thread,
  /// what follows such a call runs after the joined thread ended.
  void joinedBefore(const FnRef &F, const FactSite &At, std::set<unsigned> &Out) {
    auto Add = [&](const std::string &K) {
      if (auto It = StartsByJoinKey.find(K); It != StartsByJoinKey.end())
        Out.insert(It->second.begin(), It->second.end());
    };
    for (const CallFact &C : F.Fn->Calls) {
      if (!before(C.At, At))
        continue;
      for (const std::string &K : C.Joins)
        Add(K);
      if (auto CIt = Fns.find(C.Callee); CIt != Fns.end())
        for (const std::string &K : joinsOf(CIt->second))
          Add(K);
    }
    // A joined thread's own joins ended before it did.
    std::vector<unsigned> Work(Out.begin(), Out.end());
    while (!Work.empty()) {
      unsigned Y = Work.back();
      Work.pop_back();
      const StartFact &S = StartOwner[Y].first->Fn->Starts[StartOwner[Y].second];
      auto It = Fns.find(S.Entry);
      if (It == Fns.end())
        continue;
      for (const std::string &K : joinsOf(It->second))
        if (auto J = StartsByJoinKey.find(K); J != StartsByJoinKey.end())
          for (unsigned X : J->second)
            if (Out.insert(X).second)
              Work.push_back(X);
    }
  }

  /// Whether call \p C (or what it calls) joins start \p Id.
  bool callJoins(const CallFact &C, unsigned Id) {
    const StartFact &S = StartOwner[Id].first->Fn->Starts[StartOwner[Id].second];
    auto Ends = [&](const std::string &K) {
      return !K.empty() && (K == S.Handle || K == S.Family);
    };
    if (S.Handle.empty() && S.Family.empty())
      return false;
    if (llvm::any_of(C.Joins, Ends))
      return true;
    auto It = Fns.find(C.Callee);
    return It != Fns.end() && llvm::any_of(joinsOf(It->second), Ends);
  }

  /// Whether start \p Id is one of \p F's own.
  static bool ownStart(const FnRef &F, unsigned Id) {
    return Id >= F.FirstStartId && Id - F.FirstStartId < F.Fn->Starts.size();
  }

  static bool before(const FactSite &A, const FactSite &B) {
    return A.File == B.File &&
           (A.Line < B.Line || (A.Line == B.Line && A.Column < B.Column));
  }

  /// Where in \p F start \p Id last began to run before \p At (its start,
  /// or a call that left it running), in source order; the function's
  /// entry (nullopt) when nothing in \p F started it. At null: anywhere.
  std::optional<FactSite> latestOrigin(const FnRef &F, unsigned Id,
                                       const FactSite *At) {
    std::optional<FactSite> Out;
    auto Consider = [&](const FactSite &S) {
      if ((!At || before(S, *At)) && (!Out || before(*Out, S)))
        Out = S;
    };
    if (ownStart(F, Id))
      Consider(F.Fn->Starts[Id - F.FirstStartId].At);
    for (const CallFact &C : F.Fn->Calls)
      if (auto It = Fns.find(C.Callee);
          It != Fns.end() && (!At || before(C.At, *At)) &&
          escapesOf(It->second).count(Id))
        Consider(C.At);
    return Out;
  }

  /// Whether a call of \p F after \p From (and before \p At, if given)
  /// joins start \p Id.
  bool joinedAfter(const FnRef &F, unsigned Id, const FactSite &From,
                   const FactSite *At) {
    for (const CallFact &C : F.Fn->Calls)
      if (before(From, C.At) && (!At || before(C.At, *At)) && callJoins(C, Id))
        return true;
    return false;
  }

  /// Drops from \p Running the threads that a call of \p F joined on the
  /// way to \p At. Threads \p F started or left running count from where
  /// that happened; those it was called with, from its entry.
  void dropJoined(const FnRef &F, std::set<unsigned> &Running,
                  const FactSite &At, llvm::ArrayRef<uint32_t> Prev,
                  bool InOrder = true) {
    for (auto It = Running.begin(); It != Running.end();) {
      unsigned Id = *It;
      bool Joined;
      if (InOrder && F.Fn->Ordered && !ownStart(F, Id))
        Joined = !runsAfterOrdered(F, Id, Prev);
      else if (std::optional<FactSite> From = latestOrigin(F, Id, &At))
        Joined = joinedAfter(F, Id, *From, &At);
      else
        Joined = llvm::any_of(F.Fn->Calls, [&](const CallFact &C) {
          return before(C.At, At) && callJoins(C, Id);
        });
      It = Joined ? Running.erase(It) : std::next(It);
    }
  }

  /// Drops from \p Running the threads that a thread which has ended there
  /// joined: a start of \p F written before \p At that no longer runs at
  /// \p At, whose entry joins them (a server thread that joins the loader
  /// before it serves), and so on down.
  void dropJoinedByEnded(const FnRef &F, std::set<unsigned> &Running,
                         const FactSite &At) {
    std::vector<unsigned> Ended;
    for (unsigned I = 0; I < F.Fn->Starts.size(); ++I)
      if (before(F.Fn->Starts[I].At, At) && !Running.count(F.FirstStartId + I))
        Ended.push_back(F.FirstStartId + I);
    while (!Ended.empty() && !Running.empty()) {
      unsigned Y = Ended.back();
      Ended.pop_back();
      const StartFact &S = StartOwner[Y].first->Fn->Starts[StartOwner[Y].second];
      auto It = Fns.find(S.Entry);
      if (It == Fns.end())
        continue;
      const std::set<std::string> &Joins = joinsOf(It->second);
      for (auto R = Running.begin(); R != Running.end();) {
        const StartFact &X = StartOwner[*R].first->Fn->Starts[StartOwner[*R].second];
        bool Joined = (!X.Handle.empty() && Joins.count(X.Handle)) ||
                      (!X.Family.empty() && Joins.count(X.Family));
        if (Joined)
          Ended.push_back(*R);
        R = Joined ? Running.erase(R) : std::next(R);
      }
    }
  }

  /// For main with its call order: whether some call that leaves \p Id
  /// running may run before \p Prev with no call that joins it between.
  bool runsAfterOrdered(const FnRef &F, unsigned Id,
                        llvm::ArrayRef<uint32_t> Prev) {
    bool AnyJoin = llvm::any_of(F.Fn->Calls, [&](const CallFact &C) {
      return callJoins(C, Id);
    });
    if (!AnyJoin)
      return true;
    bool Runs = false;
    walkBack(F, Prev, [&](const CallFact &C) {
      if (callJoins(C, Id))
        return Walk::Skip;
      if (auto It = Fns.find(C.Callee);
          It != Fns.end() && escapesOf(It->second).count(Id)) {
        Runs = true;
        return Walk::Stop;
      }
      return Walk::Expand;
    });
    // Not left running by a call here: running from before main's entry
    // (a static constructor's thread) unless a call joined it.
    return Runs;
  }

  enum class Walk { Expand, Skip, Stop };
  /// Visits the calls of \p F that may run before a point (\p Prev, closed
  /// over their own Prev), each once; \p Visit says whether to go on past
  /// a call, not past it, or stop.
  template <typename Fn>
  static void walkBack(const FnRef &F, llvm::ArrayRef<uint32_t> Prev, Fn Visit) {
    std::vector<uint32_t> Work(Prev.begin(), Prev.end());
    std::vector<bool> Done(F.Fn->Calls.size(), false);
    while (!Work.empty()) {
      uint32_t I = Work.back();
      Work.pop_back();
      if (I >= Done.size() || Done[I])
        continue;
      Done[I] = true;
      const CallFact &C = F.Fn->Calls[I];
      Walk W = Visit(C);
      if (W == Walk::Stop)
        return;
      if (W == Walk::Expand)
        Work.insert(Work.end(), C.Prev.begin(), C.Prev.end());
    }
  }

  /// Threads that calls of \p F written before \p At left running. Source
  /// order stands for execution order (a loop can break this).
  std::set<unsigned> escapedBefore(const FnRef &F, const FactSite &At) {
    std::set<unsigned> Out;
    for (const CallFact &C : F.Fn->Calls) {
      if (!before(C.At, At))
        continue;
      if (auto It = Fns.find(C.Callee); It != Fns.end()) {
        const std::set<unsigned> &Sub = escapesOf(It->second);
        Out.insert(Sub.begin(), Sub.end());
      }
    }
    return Out;
  }
  std::map<std::string, std::set<unsigned>> EscapeMemo;

  /// For main with its call order (FunctionFacts::Ordered): threads that
  /// the calls which may run before a point (\p Prev, closed over their own
  /// Prev) left running. Unlike source order, this sees a loop come round.
  std::set<unsigned> escapedBeforeOrdered(const FnRef &F,
                                          llvm::ArrayRef<uint32_t> Prev) {
    std::set<unsigned> Out;
    walkBack(F, Prev, [&](const CallFact &C) {
      if (auto It = Fns.find(C.Callee); It != Fns.end()) {
        const std::set<unsigned> &Sub = escapesOf(It->second);
        Out.insert(Sub.begin(), Sub.end());
      }
      return Walk::Expand;
    });
    return Out;
  }
  std::set<unsigned> escapedBefore(const FnRef &F, const FactSite &At,
                                   llvm::ArrayRef<uint32_t> Prev) {
    return F.Fn->Ordered ? escapedBeforeOrdered(F, Prev) : escapedBefore(F, At);
  }

  void visit(const FnRef &F, const CallContext &Ctx, unsigned Root) {
    if (++Visits > maxVisits() || !Seen.insert(std::to_string(Root) + ":" +
                                             Ctx.signature(F.Fn->Usr)).second)
      return;
    bool IsMain = Root == 0;
    if (IsMain)
      VisitedInMain.insert(F.Fn->Usr);
    else if (!Library)
      VisitedInThreads.insert(F.Fn->Usr);
    // Where the locks held are unknown, a library walk says nothing.
    bool Opaque = Library && (Ctx.Opaque || F.Fn->HandsOwnLock);
    for (const AccessFact &A : F.Fn->Accesses) {
      if (Opaque)
        break;
      ResolvedAccess R;
      R.Loc = resolveKey(A.Loc, Ctx, F.Fn->Usr);
      if (R.Loc == "-")
        continue;
      R.InstanceLocal = instanceLocal(R.Loc, Root);
      // A library walk looks at the object's own fields only, and not at
      // code the method chose to run with the object's lock released.
      if (Library && (!llvm::StringRef(R.Loc).starts_with("c:") || A.UnlockWindow))
        continue;
      R.Unit = F.Unit;
      R.Fn = F.Fn;
      R.Access = &A;
      R.Root = Root;
      R.Held = lockKeys(F, A.Held, Ctx, &R.HeldNames);
      for (const std::string &K : A.ReleasedAfter)
        R.ReleasedAfter.push_back(resolveKey(K, Ctx, F.Fn->Usr));
      for (const std::string &K : A.AcquiredBefore)
        R.AcquiredBefore.push_back(resolveKey(K, Ctx, F.Fn->Usr));
      if (IsMain) {
        R.Running = Ctx.Running;
        for (uint32_t I : A.Running)
          R.Running.insert(F.FirstStartId + I);
        // Threads that outlived the functions called before this point.
        for (unsigned E : escapedBefore(F, A.At, A.Prev))
          R.Running.insert(E);
        dropJoined(F, R.Running, A.At, A.Prev);
        dropJoinedByEnded(F, R.Running, A.At);
      } else {
        R.JoinedBefore = Ctx.Joined;
        joinedBefore(F, A.At, R.JoinedBefore);
      }
      // The same access reached again with the same locks and threads
      // adds nothing.
      std::string Key = std::to_string(reinterpret_cast<uintptr_t>(&A)) +
                        "\x01" + R.Loc + "\x01" + std::to_string(Root);
      for (const std::string &H : R.Held)
        Key += "\x02" + H;
      for (const std::string &K : R.ReleasedAfter)
        Key += "\x04" + K;
      for (const std::string &K : R.AcquiredBefore)
        Key += "\x05" + K;
      for (unsigned Run : R.Running)
        Key += "\x03" + std::to_string(Run);
      for (unsigned J : R.JoinedBefore)
        Key += "\x06" + std::to_string(J);
      if (!SeenAccess.insert(Key).second)
        continue;
      Out.push_back(std::move(R));
    }
    for (unsigned I = 0; I < F.Fn->Starts.size() && !Library; ++I) {
      CallContext AtStart = Ctx;
      if (IsMain) {
        for (unsigned E : escapedBefore(F, F.Fn->Starts[I].At))
          AtStart.Running.insert(E);
        dropJoined(F, AtStart.Running, F.Fn->Starts[I].At, {},
                   /*InOrder=*/false);
        dropJoinedByEnded(F, AtStart.Running, F.Fn->Starts[I].At);
      }
      noteStart(F.FirstStartId + I, AtStart, !IsMain, Root);
    }
    for (const CallFact &C : F.Fn->Calls) {
      auto It = Fns.find(C.Callee);
      if (It == Fns.end())
        continue;
      CallContext Next;
      Next.Opaque = Opaque;
      for (unsigned I = 0; I < C.Args.size(); ++I)
        Next.Bindings[std::to_string(I)] = resolveBinding(C.Args[I], Ctx, Root, F.Fn->Usr);
      Next.Bindings["this"] = resolveBinding(C.Object, Ctx, Root, F.Fn->Usr);
      std::vector<std::string> Names;
      std::vector<std::string> Held = lockKeys(F, C.Held, Ctx, &Names);
      for (unsigned I = 0; I < Held.size(); ++I) {
        Next.Held.insert(Held[I]);
        Next.HeldNames[Held[I]] = Names[I];
      }
      if (IsMain) {
        Next.Running = Ctx.Running;
        for (uint32_t R : C.Running)
          Next.Running.insert(F.FirstStartId + R);
        for (unsigned E : escapedBefore(F, C.At, C.Prev))
          Next.Running.insert(E);
        dropJoined(F, Next.Running, C.At, C.Prev);
        dropJoinedByEnded(F, Next.Running, C.At);
      } else {
        Next.Joined = Ctx.Joined;
        joinedBefore(F, C.At, Next.Joined);
      }
      visit(It->second, Next, Root);
    }
  }
};

} // namespace

static std::string fieldOf(llvm::StringRef Loc);

/// Whether \p U defines the program entry `main`.
static bool definesMain(const TUFacts &U) {
  return llvm::any_of(U.Program.Functions, [](const FunctionFacts &F) {
    // The qualified name: a method or a namespace's `main` is not it.
    return F.Name == "main";
  });
}

ConcurrencyModel::ConcurrencyModel(llvm::ArrayRef<const TUFacts *> Units) {
  // The same units in any order give the same model: where a function is
  // defined in several TUs (an inline function of a header), the first TU
  // by path keeps it.
  std::vector<const TUFacts *> Sorted(Units.begin(), Units.end());
  llvm::stable_sort(Sorted, [](const TUFacts *A, const TUFacts *B) {
    return A->MainFile < B->MainFile;
  });
  // Each `main` roots a program of its own, over its TU and every TU that
  // defines no `main`: a tree's tools, tests and examples do not share
  // their threads, and all their `main`s have one USR.
  std::vector<bool> HasMain;
  std::vector<const TUFacts *> Mains;
  for (const TUFacts *U : Sorted) {
    HasMain.push_back(definesMain(*U));
    if (HasMain.back())
      Mains.push_back(U);
  }
  std::set<std::string> Reached; // classes some program's threads run
  auto Append = [&](std::vector<ThreadRoot> &R, std::vector<ResolvedAccess> &A,
                    unsigned P) {
    // Root indices are program-local (0 is that program's main); shift
    // them into this model's one list.
    unsigned Base = Roots.size();
    auto Shift = [&](unsigned X) { return X == ~0u ? X : X + Base; };
    for (ThreadRoot &T : R) {
      std::set<unsigned> Parents;
      for (unsigned X : T.Parents)
        Parents.insert(Shift(X));
      T.Parents = std::move(Parents);
      T.Program = P;
      Roots.push_back(std::move(T));
    }
    for (ResolvedAccess &X : A) {
      X.Root = Shift(X.Root);
      Accesses.push_back(std::move(X));
    }
  };
  if (Mains.size() <= 1) {
    Builder B(Sorted, Roots, Accesses);
    B.run();
    Truncated = B.truncated();
    Reached = B.classesInThreads();
  } else {
    for (unsigned P = 0; P < Mains.size(); ++P) {
      std::vector<const TUFacts *> Program;
      for (unsigned I = 0; I < Sorted.size(); ++I)
        if (Sorted[I] == Mains[P] || !HasMain[I])
          Program.push_back(Sorted[I]);
      std::vector<ThreadRoot> R;
      std::vector<ResolvedAccess> A;
      Builder B(Program, R, A);
      B.run();
      Truncated |= B.truncated();
      std::set<std::string> C = B.classesInThreads();
      Reached.insert(C.begin(), C.end());
      Append(R, A, P);
    }
  }
  // Library classes: a program of their own, so that nothing pairs them
  // with a program's threads.
  std::vector<ThreadRoot> R;
  std::vector<ResolvedAccess> A;
  Builder Library(Sorted, R, A);
  Library.runLibrary(Reached);
  Truncated |= Library.truncated();
  Append(R, A, std::max<unsigned>(Mains.size(), 1));
  for (unsigned I = 0; I < Accesses.size(); ++I) {
    const ResolvedAccess &X = Accesses[I];
    if (!Roots[X.Root].Library || !X.Access->Write)
      continue;
    llvm::StringRef Object = llvm::StringRef(X.Loc).split('|').first;
    for (unsigned H = 0; H < X.Held.size(); ++H)
      if (llvm::StringRef(X.Held[H]).ends_with("@" + Object.str())) {
        OwnGuarded.try_emplace(fieldOf(X.Loc), I, H);
        break;
      }
  }
}

/// "c:C|.field" of "c:C|.field|[*]|.x": the object's own field.
static std::string fieldOf(llvm::StringRef Loc) {
  size_t Bar = Loc.find('|');
  if (Bar == llvm::StringRef::npos)
    return Loc.str();
  size_t Next = Loc.find('|', Bar + 1);
  return Loc.substr(0, Next).str();
}

bool ConcurrencyModel::guardedByOwnLock(const ResolvedAccess &A,
                                        const ResolvedAccess **Writer,
                                        std::string *Lock) const {
  auto It = OwnGuarded.find(fieldOf(A.Loc));
  if (It == OwnGuarded.end())
    return false;
  const ResolvedAccess &W = Accesses[It->second.first];
  if (Writer)
    *Writer = &W;
  if (Lock)
    *Lock = W.HeldNames[It->second.second];
  return true;
}

std::string ConcurrencyModel::calledFrom(const ResolvedAccess &A) const {
  const ThreadRoot &R = Roots[A.Root];
  if (!R.Library || R.StartedIn == A.Fn)
    return "";
  return " (called from `" + R.StartedIn->Name + "`)";
}

std::string ConcurrencyModel::className(unsigned Root) const {
  llvm::StringRef Method = Roots[Root].StartedIn->Name;
  size_t Colons = Method.rfind("::");
  return Colons == llvm::StringRef::npos ? "the class" : Method.substr(0, Colons).str();
}

/// The threads main started that \p Root runs inside (itself for a thread
/// main started); ~0u among them when snag cannot tell.
static std::set<unsigned> topThreads(const std::vector<ThreadRoot> &Roots,
                                     unsigned Root) {
  std::set<unsigned> Tops, Seen;
  std::vector<unsigned> Work{Root};
  while (!Work.empty() && Seen.size() < 256) {
    unsigned R = Work.back();
    Work.pop_back();
    if (R == ~0u) {
      Tops.insert(~0u);
      continue;
    }
    if (!Seen.insert(R).second)
      continue;
    for (unsigned P : Roots[R].Parents) {
      if (P != ~0u && Roots[P].IsMain)
        Tops.insert(R);
      else
        Work.push_back(P);
    }
  }
  return Tops;
}

bool ConcurrencyModel::syncOrdered(const ResolvedAccess &A,
                                   const ResolvedAccess &B) {
  auto Meets = [](const std::vector<std::string> &Released,
                  const std::vector<std::string> &Acquired) {
    for (const std::string &K : Released)
      if (K != "-" && llvm::is_contained(Acquired, K))
        return true;
    return false;
  };
  return Meets(A.ReleasedAfter, B.AcquiredBefore) ||
         Meets(B.ReleasedAfter, A.AcquiredBefore);
}

bool ConcurrencyModel::mayRunInParallel(const ResolvedAccess &A,
                                        const ResolvedAccess &B) const {
  if (syncOrdered(A, B))
    return false;
  const ThreadRoot &RA = Roots[A.Root], &RB = Roots[B.Root];
  if (RA.Program != RB.Program)
    return false; // two executables
  if (RA.Library || RB.Library)
    // Any two public methods of a library object, the same one twice too.
    return RA.Library && RB.Library && RA.Class == RB.Class;
  if (RA.IsMain && RB.IsMain)
    return false; // main is one thread
  if (RA.IsMain || RB.IsMain) {
    // A thread started by a thread runs while the thread main started, that
    // it descends from, runs (a conservative but bounded guess).
    const ResolvedAccess &M = RA.IsMain ? A : B;
    for (unsigned Top : topThreads(Roots, RA.IsMain ? B.Root : A.Root))
      if (Top == ~0u || M.Running.count(Roots[Top].StartId))
        return true;
    return false;
  }
  const ThreadRoot &T1 = Roots[A.Root], &T2 = Roots[B.Root];
  // A thread that joined the other before its access runs after it.
  if (A.Root != B.Root &&
      (A.JoinedBefore.count(T2.StartId) || B.JoinedBefore.count(T1.StartId)))
    return false;
  if (A.Root != B.Root && !T1.Start->Queue.empty() &&
      T1.Start->Queue == T2.Start->Queue)
    return false; // jobs of one queue that one thread drains, in turn
  if (A.Root == B.Root)
    // "[#]": an element or block each instance of the thread got for itself.
    return T1.Many && !(llvm::StringRef(A.Loc).contains("|[#]") &&
                        llvm::StringRef(B.Loc).contains("|[#]")) &&
           !(A.InstanceLocal && B.InstanceLocal);
  if (T1.Parents.size() == 1 && T1.Parents == T2.Parents &&
      *T1.Parents.begin() != ~0u) {
    unsigned P = *T1.Parents.begin();
    return T1.RunningAtStart.count(T2.StartId) ||
           T2.RunningAtStart.count(T1.StartId) ||
           (!Roots[P].IsMain && Roots[P].Many);
  }
  std::set<unsigned> Tops1 = topThreads(Roots, A.Root),
                     Tops2 = topThreads(Roots, B.Root);
  for (unsigned X : Tops1)
    for (unsigned Y : Tops2) {
      if (X == ~0u || Y == ~0u || X == Y)
        return true; // one thread tree, or unknown ancestry
      if (Roots[X].RunningAtStart.count(Roots[Y].StartId) ||
          Roots[Y].RunningAtStart.count(Roots[X].StartId))
        return true;
    }
  return false;
}

static llvm::SmallVector<llvm::StringRef, 4> steps(llvm::StringRef Key) {
  llvm::SmallVector<llvm::StringRef, 4> Out;
  Key.split(Out, '|');
  return Out;
}

bool ConcurrencyModel::mayOverlap(const std::string &A, const std::string &B) {
  if (A == B)
    return true;
  auto SA = steps(A), SB = steps(B);
  size_t N = std::min(SA.size(), SB.size());
  for (size_t I = 0; I < N; ++I) {
    if (SA[I] == SB[I])
      continue;
    auto AnyElement = [](llvm::StringRef S) { return S == "[*]" || S == "[#]"; };
    if (I > 0 && (AnyElement(SA[I]) || AnyElement(SB[I])) && SA[I].starts_with("[") &&
        SB[I].starts_with("["))
      continue;
    return false;
  }
  // One is a part of the other (a member of the object, the whole object),
  // unless the longer goes on through the pointer the shorter names: a
  // global pointer and what it points to are different memory.
  const auto &Longer = SA.size() > SB.size() ? SA : SB;
  return Longer.size() == N || Longer[N] != "*";
}

static bool lockAlias(llvm::StringRef A, llvm::StringRef B) {
  if (A == B)
    return true;
  // locks[i] may be locks[3].
  auto [ArrA, IdxA] = A.rsplit('[');
  auto [ArrB, IdxB] = B.rsplit('[');
  if (!IdxA.empty() && ArrA == ArrB && (IdxA == "]" || IdxB == "]") &&
      A.ends_with("]") && B.ends_with("]"))
    return true;
  if (!A.starts_with("f:") || !B.starts_with("f:"))
    return false;
  auto [KA, BaseA] = A.split('@');
  auto [KB, BaseB] = B.split('@');
  if (KA != KB)
    return false;
  return !(BaseA.starts_with("g:") && BaseB.starts_with("g:"));
}

bool ConcurrencyModel::commonLock(const ResolvedAccess &A,
                                  const ResolvedAccess &B) {
  for (llvm::StringRef HA : A.Held)
    for (llvm::StringRef HB : B.Held) {
      bool SharedA = HA.consume_back("#shared");
      bool SharedB = HB.consume_back("#shared");
      if (lockAlias(HA, HB) && !(SharedA && SharedB))
        return true;
      // Two readers of a shared lock exclude nothing, but then neither
      // may write under it: reads do not conflict with reads.
      if (lockAlias(HA, HB) && SharedA && SharedB && !A.Access->Write &&
          !B.Access->Write)
        return true;
    }
  return false;
}

SourcePoint ConcurrencyModel::point(const TUFacts &U, const FactSite &S) {
  SourcePoint P;
  if (S.File < U.Program.Files.size())
    P.File = U.Program.Files[S.File];
  P.Line = S.Line;
  P.Column = S.Column;
  return P;
}

std::string ConcurrencyModel::startNote(unsigned Root) const {
  const ThreadRoot &T = Roots[Root];
  const std::string &N = T.Start->EntryName;
  std::string Entry = N.empty()      ? "a function snag cannot name"
                      : N == "lambda" ? "a lambda"
                                      : "`" + N + "`";
  return "a thread running " + Entry + " is started here" +
         (T.Many ? " (more than one may run at once)" : "");
}

const ConcurrencyModel &ConcurrencyModel::of(LinkContext &Ctx) {
  // Both race rules run in one link step over the same units.
  static std::mutex Lock;
  static const void *Key = nullptr;
  static size_t KeySize = 0;
  static std::unique_ptr<ConcurrencyModel> Model;
  std::lock_guard<std::mutex> G(Lock);
  if (!Model || Key != Ctx.Units.data() || KeySize != Ctx.Units.size()) {
    Model = std::make_unique<ConcurrencyModel>(Ctx.Units);
    Key = Ctx.Units.data();
    KeySize = Ctx.Units.size();
    if (Model->truncated())
      Ctx.note("the race model stopped after " + std::to_string(maxVisits()) +
               " calling contexts, so some races of this tree may not be "
               "reported (every thread reaches the same functions: see "
               "docs/performance.md)");
  }
  return *Model;
}

} // namespace snag
