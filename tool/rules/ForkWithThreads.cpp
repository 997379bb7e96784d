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

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace snag {

namespace {
struct CallSite {
  const CallExpr *Call;
  const FunctionDecl *Caller;
};

class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(TUContext &Ctx) : Ctx(Ctx) {}
  bool shouldVisitLambdaBodies() const { return true; }
  // System headers hold nothing to report and most of the AST.
  bool TraverseDecl(Decl *D) {
    if (D && !llvm::isa<TranslationUnitDecl>(D) &&
        Ctx.AST.getSourceManager().isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
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
  }
}

} // namespace snag
