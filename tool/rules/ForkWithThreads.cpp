//===- ForkWithThreads.cpp - fork-with-threads: fork after a thread start -===//
//
// The child of a fork has one thread: every lock another thread held at the
// fork stays locked forever in the child. A child that goes straight to
// exec*/_exit is fine; one that goes on (takes a lock, allocates, prints)
// can hang. The process model finds the child's path and the running
// threads; this rule words them.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/FunctionCFG.h"
#include "model/Processes.h"
#include "model/Threads.h"
#include "model/UserCodeVisitor.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"

#include <set>
#include <tuple>

using namespace clang;

namespace snag {

namespace {
struct CallSite {
  const CallExpr *Call;
  const FunctionDecl *Caller;
};

class Collector : public UserCodeVisitor<Collector> {
public:
  explicit Collector(TUContext &Ctx) : Ctx(Ctx) {}
  bool shouldVisitLambdaBodies() const { return true; }
  bool VisitCallExpr(CallExpr *CE) {
    if (!Ctx.isUserCode(CE->getBeginLoc()))
      return true;
    const FunctionDecl *Caller = enclosingFunction(Ctx.AST, CE);
    if (isForkCall(CE))
      Forks.push_back({CE, Caller});
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      if (const FunctionDecl *Def = Callee->getDefinition())
        CallersOf[Def].push_back({CE, Caller});
    return true;
  }
  TUContext &Ctx;
  std::vector<CallSite> Forks;
  llvm::DenseMap<const FunctionDecl *, std::vector<CallSite>> CallersOf;
};

std::string name(const FunctionDecl *FD) {
  return FD ? "`" + FD->getQualifiedNameAsString() + "`" : "the caller";
}
} // namespace

void checkForkWithThreads(TUContext &Ctx) {
  Collector C(Ctx);
  C.TraverseDecl(Ctx.AST.getTranslationUnitDecl());
  for (const CallSite &Fork : C.Forks) {
    ChildPath Child = childOf(Ctx.AST, Fork.Call, Fork.Caller);
    if (Child.Execs)
      continue;
    // A thread running at the fork: in the same function, or in a caller
    // (up a few levels) at the call that leads to the fork.
    const Stmt *Start = threadRunningAt(Ctx, Fork.Caller, Fork.Call);
    std::vector<CallSite> Chain;
    if (!Start) {
      std::vector<std::pair<const FunctionDecl *, std::vector<CallSite>>> Work{
          {Fork.Caller, {}}};
      llvm::SmallPtrSet<const FunctionDecl *, 8> Seen;
      for (unsigned I = 0; I < Work.size() && I < 32 && !Start; ++I) {
        auto [FD, Path] = Work[I];
        if (!FD || !Seen.insert(FD).second)
          continue;
        const FunctionDecl *Def = FD->getDefinition() ? FD->getDefinition() : FD;
        for (const CallSite &Site : C.CallersOf.lookup(Def)) {
          std::vector<CallSite> Longer = Path;
          Longer.push_back(Site);
          if ((Start = threadRunningAt(Ctx, Site.Caller, Site.Call))) {
            Chain = Longer;
            break;
          }
          if (Longer.size() < 4)
            Work.push_back({Site.Caller, Longer});
        }
      }
    }
    if (!Start)
      continue;
    Finding F;
    F.RuleId = "fork-with-threads";
    F.Where = Ctx.point(Fork.Call->getBeginLoc());
    F.Message = "fork() while another thread may be running: the child "
                "gets a copy of every lock that thread held and no thread to "
                "release it, and it goes on without exec";
    bool Direct = threadModel(Ctx).start(llvm::cast<Expr>(Start)).has_value();
    F.Related.push_back(
        {Ctx.point(Start->getBeginLoc()),
         Direct ? "a thread is started here and is not joined before the fork"
                : "this call leaves a thread running"});
    for (auto It = Chain.rbegin(); It != Chain.rend(); ++It)
      F.Related.push_back(
          {Ctx.point(It->Call->getBeginLoc()),
           "then " + name(It->Caller) + " calls " +
               name(It->Call->getDirectCallee()) + ", which leads to the fork"});
    if (Child.RunsOn && Child.RunsOn != Fork.Call)
      F.Related.push_back({Ctx.point(Child.RunsOn->getBeginLoc()),
                           "the child does this before any exec or _exit"});
    F.FingerprintKey = (Fork.Caller ? Fork.Caller->getQualifiedNameAsString()
                                    : std::string()) +
                       "|fork";
    Ctx.report(std::move(F));
    markForkReported(Ctx, Fork.Call);
  }
}

//===----------------------------------------------------------------------===//
// Across TUs: a fork reached, through calls in any file, after a thread start
// that may still be running. Forks the per-TU rule reported are left out.
//===----------------------------------------------------------------------===//

namespace {
struct FnRef {
  const TUFacts *Unit;
  const ProcessFunctionFacts *Fn;
  SourcePoint point(const FactSite &S) const {
    const auto &Files = Unit->Program.Files;
    return {S.File < Files.size() ? Files[S.File] : "", S.Line, S.Column};
  }
};

/// Why threads may run at a point of a function: a call before it that
/// leaves one running, a thread this TU sees, or a caller that runs the
/// function while threads run.
struct Why {
  enum Kind { None, LocalThread, CallLeaves, Caller } How = None;
  FnRef In{};
  const ProcessCallFact *Call = nullptr; // the call that leaves a thread, or
                                         // the call from the caller
};

std::string quoted(llvm::StringRef Name) { return "`" + Name.str() + "`"; }

class ForkLinker {
public:
  explicit ForkLinker(LinkContext &Ctx) : Ctx(Ctx) {
    for (const TUFacts *U : Ctx.Units)
      for (const ProcessFunctionFacts &F : U->Program.Processes)
        ByUsr[F.Usr].push_back({U, &F});
    computeLeaves();
    computeRunsWithThreads();
  }

  void run() {
    std::set<std::tuple<std::string, unsigned, unsigned>> Seen;
    for (const auto &Entry : ByUsr)
      for (const FnRef &R : Entry.second)
        for (const ForkFact &K : R.Fn->Forks) {
          SourcePoint At = R.point(K.At);
          if (!Seen.insert({At.File, At.Line, At.Column}).second ||
              K.Reported || ReportedHere.count({At.File, At.Line, At.Column}))
            continue;
          Why W = whyAt(R, K.After);
          if (W.How != Why::None)
            report(R, At, W);
        }
  }

  /// Forks some TU already reported (a header seen by several TUs).
  std::set<std::tuple<std::string, unsigned, unsigned>> ReportedHere;

private:
  bool leaves(llvm::StringRef Usr) const { return LeavesBy.count(Usr); }

  void computeLeaves() {
    for (const auto &Entry : ByUsr)
      for (const FnRef &R : Entry.second)
        if (R.Fn->LeavesRunning)
          LeavesBy.try_emplace(Entry.first(), R, nullptr);
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const auto &Entry : ByUsr)
        for (const FnRef &R : Entry.second)
          for (const ProcessCallFact &C : R.Fn->Calls)
            if (!leaves(Entry.first()) && leaves(C.Callee)) {
              LeavesBy.try_emplace(Entry.first(), R, &C);
              Changed = true;
            }
    }
  }

  /// Why threads may run at a point of \p R reached after the calls \p After.
  Why whyAt(const FnRef &R, llvm::ArrayRef<uint32_t> After,
            bool Running = false) const {
    if (Running)
      return {Why::LocalThread, R, nullptr};
    for (uint32_t I : After)
      if (I < R.Fn->Calls.size() && leaves(R.Fn->Calls[I].Callee))
        return {Why::CallLeaves, R, &R.Fn->Calls[I]};
    auto It = RunsWith.find(R.Fn->Usr);
    if (It != RunsWith.end())
      return It->second;
    return {};
  }

  void computeRunsWithThreads() {
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const auto &Entry : ByUsr)
        for (const FnRef &R : Entry.second)
          for (const ProcessCallFact &C : R.Fn->Calls) {
            if (RunsWith.count(C.Callee))
              continue;
            if (whyAt(R, C.After, C.Running).How != Why::None) {
              RunsWith[C.Callee] = {Why::Caller, R, &C};
              Changed = true;
            }
          }
    }
  }

  void report(const FnRef &R, const SourcePoint &At, Why W) {
    Finding F;
    F.RuleId = "fork-with-threads";
    F.Origin = "check";
    F.Where = At;
    F.Message = "fork() while another thread may be running: the child "
                "gets a copy of every lock that thread held and no thread to "
                "release it, and it goes on without exec";
    // Notes gathered from the fork outwards, then reversed: the thread's
    // start first, the calls that lead to the fork after it.
    std::vector<RelatedLocation> Notes;
    std::string Callee = R.Fn->Name;
    for (int Depth = 0; Depth < 16 && W.How != Why::None; ++Depth) {
      if (W.How == Why::LocalThread)
        break; // said by the caller's note
      if (W.How == Why::CallLeaves) {
        Notes.push_back({W.In.point(W.Call->At),
                         "this call of " + quoted(W.Call->Name) +
                             " leaves a thread running"});
        // Down to the start that leaves it running.
        llvm::StringRef Usr = W.Call->Callee;
        for (int D = 0; D < 16; ++D) {
          auto It = LeavesBy.find(Usr);
          if (It == LeavesBy.end())
            break;
          const auto &[Fn, Via] = It->second;
          if (!Via) {
            Notes.push_back({Fn.point(Fn.Fn->RunningAt),
                          "a thread started here may still run when " +
                              quoted(Fn.Fn->Name) + " returns"});
            break;
          }
          Usr = Via->Callee;
        }
        break;
      }
      // Caller: the function is called while threads may run.
      Notes.push_back({W.In.point(W.Call->At),
                       quoted(W.In.Fn->Name) + " calls " + quoted(Callee) +
                           " here, which leads to the fork"});
      Why Up = whyAt(W.In, W.Call->After, W.Call->Running);
      if (Up.How == Why::LocalThread) {
        Notes.back().Message += ", while a thread it started may be running";
        break;
      }
      Callee = W.In.Fn->Name;
      W = Up;
    }
    for (auto It = Notes.rbegin(); It != Notes.rend(); ++It)
      F.Related.push_back(*It);
    F.FingerprintKey = R.Fn->Name + "|fork";
    Ctx.report(std::move(F));
  }

  LinkContext &Ctx;
  llvm::StringMap<std::vector<FnRef>> ByUsr;
  /// Functions that may return with a thread running: the function's facts
  /// and the call that leaves it running (null: a start of its own).
  llvm::StringMap<std::pair<FnRef, const ProcessCallFact *>> LeavesBy;
  /// Functions called while a thread may run, and why.
  llvm::StringMap<Why> RunsWith;
};
} // namespace

void checkForkWithThreadsAcrossTUs(LinkContext &Ctx) {
  ForkLinker L(Ctx);
  // The same fork may sit in a header that another TU reported.
  for (const TUFacts *U : Ctx.Units)
    for (const ProcessFunctionFacts &F : U->Program.Processes)
      for (const ForkFact &K : F.Forks)
        if (K.Reported && K.At.File < U->Program.Files.size())
          L.ReportedHere.insert(
              {U->Program.Files[K.At.File], K.At.Line, K.At.Column});
  L.run();
}

} // namespace snag
