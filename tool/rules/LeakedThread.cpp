//===- LeakedThread.cpp - leaked-thread: unowned threads that never stop --===//
//
// A detached thread (or one no one ever joins) whose entry function loops
// forever with nothing another thread can use to stop it: it runs until the
// process exits, and exit tears down globals under its feet.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/FunctionCFG.h"
#include "model/ThreadLifetime.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace snag {

static std::string entryName(const FunctionDecl *FD) {
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda())
      return "the thread's lambda";
  return "`" + FD->getQualifiedNameAsString() + "`";
}

void checkLeakedThread(TUContext &Ctx) {
  llvm::SmallPtrSet<const Stmt *, 8> Reported;
  for (const ThreadStartSite &Site : threadStarts(Ctx)) {
    const ThreadStart &S = Site.Start;
    if (!S.Entry || S.JoinsOnDestruction || S.ownedByPool())
      continue;
    StartFate Fate = fateOf(Ctx, Site);
    bool NeverWaited = S.Flavor != ThreadFlavor::StdThread &&
                       !Fate.joinedOrDetached() && !Fate.HandedOff &&
                       !Fate.Owners.empty();
    if (!Fate.Detach && !NeverWaited)
      continue;
    if (!Fate.Joins.empty())
      continue;
    const FunctionDecl *In = nullptr;
    const Stmt *Loop = loopWithoutStopPath(Ctx, S.Entry, &In);
    if (!Loop)
      continue;
    const Stmt *At = Fate.Detach && llvm::isa<CallExpr>(Fate.Detach) &&
                             enclosingFunction(Ctx.AST, Fate.Detach) ==
                                 Site.Caller
                         ? Fate.Detach
                         : S.Call;
    if (!Reported.insert(At).second)
      continue;
    Finding F;
    F.RuleId = "leaked-thread";
    SourceLocation Loc = At->getBeginLoc();
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(At))
      Loc = MC->getExprLoc();
    F.Where = Ctx.point(Loc);
    F.Message = std::string(At == S.Call ? "this thread is never joined"
                                         : "this thread is detached") +
                " and runs " + entryName(S.Entry) +
                ", which loops forever: nothing can stop it, and it is "
                "still running when main returns and the process tears "
                "down the state it uses";
    F.Related.push_back({Ctx.point(Loop->getBeginLoc()),
                         "this loop in " + entryName(In) +
                             " never ends: its condition cannot change and "
                             "nothing in it leaves the loop (no stop flag, "
                             "stop_token or exit)"});
    if (At != S.Call)
      F.Related.push_back({Ctx.point(S.Call->getBeginLoc()),
                           "the thread is started here"});
    F.FingerprintKey =
        (Site.Caller ? Site.Caller->getQualifiedNameAsString() : "") + "|" +
        (S.Entry ? S.Entry->getQualifiedNameAsString() : "");
    Ctx.report(std::move(F));
  }
}

} // namespace snag
