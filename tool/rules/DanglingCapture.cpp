//===- DanglingCapture.cpp - dangling-capture: threads outliving locals ---===//
//
// A thread that refers to a local (a by-reference lambda capture, a
// std::ref argument, a pointer to the local) and can still run after the
// local's scope ends: it is detached, handed out of the function, or joined
// only after the scope. It then reads or writes a dead stack slot.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/ThreadLifetime.h"

#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace snag {

namespace {
struct LocalRef {
  const VarDecl *Var;
  const char *How; // "captured by reference", ...
};

bool isDyingLocal(const ValueDecl *D) {
  const auto *VD = llvm::dyn_cast_or_null<VarDecl>(D);
  return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType();
}

/// The local an argument points at or refers to: std::ref(x), &x, &x.f,
/// an array that decays to a pointer.
const VarDecl *referencedLocal(const Expr *Arg, const char *&How) {
  const Expr *E = Arg->IgnoreParenCasts();
  if (const auto *MT = llvm::dyn_cast<MaterializeTemporaryExpr>(E))
    E = MT->getSubExpr()->IgnoreParenCasts();
  if (const auto *B = llvm::dyn_cast<CXXBindTemporaryExpr>(E))
    E = B->getSubExpr()->IgnoreParenCasts();
  if (const auto *CCE = llvm::dyn_cast<CXXConstructExpr>(E);
      CCE && CCE->getNumArgs() == 1)
    E = CCE->getArg(0)->IgnoreParenCasts();
  if (const auto *CE = llvm::dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (FD && FD->isInStdNamespace() && FD->getIdentifier() &&
        (FD->getName() == "ref" || FD->getName() == "cref") &&
        CE->getNumArgs() == 1) {
      How = "passed with std::ref";
      const Expr *Target = CE->getArg(0)->IgnoreParenImpCasts();
      if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Target))
        return isDyingLocal(DRE->getDecl())
                   ? llvm::cast<VarDecl>(DRE->getDecl())
                   : nullptr;
      return nullptr;
    }
    return nullptr;
  }
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf) {
    How = "passed by address";
    const Expr *Target = U->getSubExpr()->IgnoreParenImpCasts();
    while (const auto *ME = llvm::dyn_cast<MemberExpr>(Target)) {
      if (ME->isArrow())
        return nullptr;
      Target = ME->getBase()->IgnoreParenImpCasts();
    }
    if (const auto *AS = llvm::dyn_cast<ArraySubscriptExpr>(Target))
      Target = AS->getBase()->IgnoreParenImpCasts();
    if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Target))
      return isDyingLocal(DRE->getDecl()) && !llvm::cast<VarDecl>(DRE->getDecl())
                                                  ->getType()
                                                  ->isPointerType()
                 ? llvm::cast<VarDecl>(DRE->getDecl())
                 : nullptr;
    return nullptr;
  }
  // A local array decaying to a pointer.
  const Expr *NoParens = Arg->IgnoreParens();
  if (const auto *IC = llvm::dyn_cast<ImplicitCastExpr>(NoParens))
    if (IC->getCastKind() == CK_ArrayToPointerDecay)
      if (const auto *DRE =
              llvm::dyn_cast<DeclRefExpr>(IC->getSubExpr()->IgnoreParens()))
        if (isDyingLocal(DRE->getDecl())) {
          How = "passed as a pointer to its first element";
          return llvm::cast<VarDecl>(DRE->getDecl());
        }
  return nullptr;
}

llvm::SmallVector<LocalRef, 4> localsReferenced(const ThreadStart &S) {
  llvm::SmallVector<LocalRef, 4> Out;
  if (S.Lambda)
    for (const LambdaCapture &C : S.Lambda->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
        if (const auto *VD = llvm::dyn_cast<VarDecl>(C.getCapturedVar());
            VD && isDyingLocal(VD))
          Out.push_back({VD, "captured by reference"});
  for (const Expr *Arg : S.EntryArgs) {
    const char *How = "";
    if (const VarDecl *VD = referencedLocal(Arg, How))
      Out.push_back({VD, How});
  }
  return Out;
}

std::string callerName(const FunctionDecl *FD) {
  if (const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda())
      return "the enclosing lambda";
  return FD ? "`" + FD->getQualifiedNameAsString() + "`" : "the function";
}
} // namespace

void checkDanglingCapture(TUContext &Ctx) {
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (const ThreadStartSite &Site : threadStarts(Ctx)) {
    const ThreadStart &S = Site.Start;
    if (S.ownedByPool() && !S.Lambda)
      continue;
    llvm::SmallVector<LocalRef, 4> Locals = localsReferenced(S);
    if (Locals.empty())
      continue;
    StartFate Fate = fateOf(Ctx, Site);
    bool OwnerOutlives = false;
    for (const ValueDecl *Owner : Fate.Owners)
      if (const auto *VD = llvm::dyn_cast<VarDecl>(Owner);
          !VD || !VD->hasLocalStorage())
        OwnerOutlives = true;
    for (const LocalRef &L : Locals) {
      const Stmt *Scope = scopeOf(Ctx.AST, L.Var);
      std::string Why;
      const Stmt *Evidence = nullptr;
      if (Fate.Detach) {
        Why = "the thread is detached";
        Evidence = Fate.Detach;
      } else if ((Fate.HandedOff && Fate.OutlivesCaller) || OwnerOutlives ||
                 (S.ownedByPool() && !Fate.joinedOrDetached())) {
        Why = "the thread is handed out of " + callerName(Site.Caller);
        Evidence = Fate.HandedOff;
      } else if (Scope) {
        for (const Expr *Join : Fate.Joins)
          if (SM.isBeforeInTranslationUnit(Scope->getEndLoc(),
                                           Join->getBeginLoc())) {
            Why = "the thread is joined only after `" +
                  L.Var->getNameAsString() + "` has gone out of scope";
            Evidence = Join;
            break;
          }
      }
      if (Why.empty())
        continue;
      Finding F;
      F.RuleId = "dangling-capture";
      F.Where = Ctx.point(S.Call->getBeginLoc());
      std::string Var = "`" + L.Var->getNameAsString() + "`";
      F.Message = "the thread may use local " + Var + " (" + L.How +
                  ") after it is destroyed: " + Why;
      F.Related.push_back(
          {Ctx.point(L.Var->getLocation()),
           Var + " is declared here and dies when its scope ends"});
      if (Evidence)
        F.Related.push_back({Ctx.point(Evidence->getBeginLoc()),
                             Fate.Detach ? "the thread is detached here"
                             : Evidence == Fate.HandedOff
                                 ? "the thread leaves the function here"
                                 : "the thread is joined here"});
      F.FingerprintKey =
          (Site.Caller ? Site.Caller->getQualifiedNameAsString() : "") + "|" +
          L.Var->getNameAsString();
      Ctx.report(std::move(F));
    }
  }
}

} // namespace snag
