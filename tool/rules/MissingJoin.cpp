//===- MissingJoin.cpp - missing-join: threads destroyed while joinable ---===//
//
// A std::thread destroyed while joinable calls std::terminate; a pthread
// that is neither joined nor detached keeps its resources and may still run
// when the process exits. The thread lifetime model finds the paths; this
// rule words them.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/FunctionCFG.h"
#include "model/ThreadLifetime.h"
#include "model/UserCodeVisitor.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace snag {

namespace {
std::string nameOf(const NamedDecl *D) {
  if (!D)
    return "?";
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(D))
    if (MD->getParent()->isLambda())
      return "lambda";
  return D->getNameAsString();
}

std::string functionName(const FunctionDecl *FD) {
  if (!FD)
    return "?";
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda())
      return "the lambda";
  return "`" + FD->getQualifiedNameAsString() + "`";
}

/// Where a scope ends, for the "goes out of scope here" note.
SourceLocation endOf(const Stmt *S) {
  if (const auto *CS = llvm::dyn_cast_or_null<CompoundStmt>(S))
    return CS->getRBracLoc();
  return S ? S->getEndLoc() : SourceLocation();
}

class FunctionWalker : public UserCodeVisitor<FunctionWalker> {
public:
  explicit FunctionWalker(TUContext &Ctx) : Ctx(Ctx) {}
  bool shouldVisitLambdaBodies() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && Ctx.isUserCode(FD->getLocation()))
      check(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    if (Ctx.isUserCode(L->getBeginLoc()))
      check(L->getCallOperator());
    return true;
  }

private:
  void check(const FunctionDecl *FD) {
    for (const JoinableLeak &L : joinableAtDestruction(Ctx, FD)) {
      Finding F;
      F.RuleId = "missing-join";
      std::string Var = "`" + L.Var->getNameAsString() + "`";
      F.Where = Ctx.point(L.Start->getBeginLoc());
      RelatedLocation Note;
      switch (L.How) {
      case JoinableLeak::Return:
        F.Message = "thread " + Var + " is destroyed while still joinable " +
                    "when " + functionName(FD) +
                    " returns here: std::terminate ends the program";
        Note.Where = Ctx.point(L.Where->getBeginLoc());
        Note.Message = functionName(FD) + " returns here without joining " +
                       "or detaching " + Var;
        break;
      case JoinableLeak::ScopeEnd:
        F.Message = "thread " + Var + " can go out of scope while still " +
                    "joinable: its destructor calls std::terminate";
        Note.Where = Ctx.point(endOf(L.Where));
        Note.Message = Var + " goes out of scope here without being joined " +
                       "or detached";
        break;
      case JoinableLeak::Exception:
        F.Message = "thread " + Var + " is destroyed while still joinable " +
                    "if an exception leaves " + functionName(FD) +
                    " before the join: std::terminate ends the program";
        Note.Where = Ctx.point(L.Where->getBeginLoc());
        Note.Message = L.Thrower ? "an exception from `" +
                                       L.Thrower->getNameAsString() +
                                       "` here skips the join of " + Var
                                 : "the exception thrown here skips the " +
                                       std::string("join of ") + Var;
        break;
      }
      F.Related.push_back(Note);
      F.FingerprintKey = FD->getQualifiedNameAsString() + "|" +
                         L.Var->getNameAsString() + "|" +
                         (L.How == JoinableLeak::Exception ? "eh" : "normal");
      Ctx.report(std::move(F));
    }
  }
  TUContext &Ctx;
};

void reportStart(TUContext &Ctx, const ThreadStartSite &Site,
                 const StartFate &Fate) {
  const ThreadStart &S = Site.Start;
  Finding F;
  F.RuleId = "missing-join";
  F.Where = Ctx.point(S.Call->getBeginLoc());
  std::string Caller = Site.Caller ? Site.Caller->getQualifiedNameAsString() : "";
  const ValueDecl *Owner = Fate.Owners.empty() ? nullptr : Fate.Owners.front();
  std::string Name = "`" + nameOf(Owner) + "`";
  RelatedLocation Note;
  if (Fate.Discarded) {
    F.Message = "this std::thread temporary is destroyed at the end of the "
                "statement while still joinable: std::terminate ends the "
                "program";
    F.FingerprintKey = Caller + "|temporary";
  } else if (S.Flavor == ThreadFlavor::Pthread ||
             S.Flavor == ThreadFlavor::C11 || S.UserHandle) {
    F.Message = "thread " + Name + " is neither joined nor detached: its " +
                "resources are never reclaimed, and the process can end " +
                "while it still runs";
    if (Site.Caller && Site.Caller->getBody()) {
      Note.Where = Ctx.point(endOf(Site.Caller->getBody()));
      std::string How =
          S.Flavor == ThreadFlavor::Pthread ? "calling pthread_join or pthread_detach on "
          : S.Flavor == ThreadFlavor::C11   ? "calling thrd_join or thrd_detach on "
                                            : "joining or detaching ";
      Note.Message = functionName(Site.Caller) + " ends without " + How + Name;
    }
    F.FingerprintKey = Caller + "|" + nameOf(Owner);
  } else if (isThreadContainerType(Owner->getType())) {
    F.Message = "the threads added to " + Name + " are never joined: " +
                "destroying " + Name + " with joinable threads calls " +
                "std::terminate";
    F.FingerprintKey = Caller + "|" + nameOf(Owner);
    if (const auto *VD = llvm::dyn_cast<VarDecl>(Owner))
      if (const Stmt *Scope = scopeOf(Ctx.AST, VD)) {
        Note.Where = Ctx.point(endOf(Scope));
        Note.Message = Name + " is destroyed here";
      }
  } else {
    F.Message = "member thread " + Name + " is never joined or detached: " +
                "destroying its object calls std::terminate";
    F.FingerprintKey = Caller + "|" + nameOf(Owner);
    if (const auto *FD = llvm::dyn_cast<FieldDecl>(Owner)) {
      Note.Where = Ctx.point(FD->getLocation());
      Note.Message = Name + " is declared here; nothing in this file joins " +
                     "or detaches it";
    }
  }
  if (Note.Where.known())
    F.Related.push_back(Note);
  Ctx.report(std::move(F));
}
} // namespace

void checkMissingJoin(TUContext &Ctx) {
  // Local std::thread variables: every path, exception paths included.
  FunctionWalker(Ctx).TraverseDecl(Ctx.AST.getTranslationUnitDecl());

  // Temporaries, containers, members, pthreads: never joined at all.
  for (const ThreadStartSite &Site : threadStarts(Ctx)) {
    const ThreadStart &S = Site.Start;
    if (S.JoinsOnDestruction || S.ownedByPool())
      continue;
    StartFate Fate = fateOf(Ctx, Site);
    if (Fate.Discarded) {
      reportStart(Ctx, Site, Fate);
      continue;
    }
    if (Fate.joinedOrDetached() || Fate.HandedOff || Fate.Owners.empty())
      continue;
    const ValueDecl *Owner = Fate.Owners.front();
    QualType T = Owner->getType();
    if (isStdThreadType(T) && llvm::isa<VarDecl>(Owner) &&
        llvm::cast<VarDecl>(Owner)->hasLocalStorage())
      continue; // the dataflow above speaks for locals
    if (isJThreadType(T))
      continue;
    // A global pthread_t others may join in another file: only when it is
    // this file's own.
    if (const auto *VD = llvm::dyn_cast<VarDecl>(Owner))
      if (!VD->hasLocalStorage() && VD->isExternallyVisible())
        continue;
    reportStart(Ctx, Site, Fate);
  }
}

} // namespace snag
