//===- UnlockNotHeld.cpp - unlock-not-held --------------------------------===//
//
// An unlock of a lock that some path reaches without holding it, or of a
// lock that a guard owns (the guard unlocks it a second time). The held
// sets come from the lock model.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/LockSummaries.h"
#include "model/Locks.h"
#include "model/Threads.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

#include <optional>

using namespace clang;

namespace snag {

namespace {

bool before(const SourceManager &SM, SourceLocation A, SourceLocation B) {
  return SM.isBeforeInTranslationUnit(SM.getFileLoc(A), SM.getFileLoc(B));
}

/// Whether the guard \p G is the target of an assignment in \p Body.
bool guardReassigned(const Stmt *Body, const VarDecl *G) {
  if (!Body)
    return false;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Body))
    if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(Op->getArg(0)->IgnoreParenImpCasts()))
        if (DRE->getDecl() == G)
          return true;
  for (const Stmt *Child : Body->children())
    if (guardReassigned(Child, G))
      return true;
  return false;
}

/// Whether \p FD is a thread's entry in this TU and nothing here calls it
/// directly (a caller could hold the lock for it).
/// Whether \p Cond tests a flag that one of the next statements after the
/// take \p Take sets: `item_lock(hv); locked = true; ... if (locked)
/// item_unlock(hv);`.
bool flagSetAfter(const ParentMap &PM, const Expr *Cond, const Stmt *Take,
                  const ASTContext &AST) {
  const auto *Flag = Cond ? dyn_cast<DeclRefExpr>(Cond->IgnoreParenImpCasts()) : nullptr;
  const auto *VD = Flag ? dyn_cast<VarDecl>(Flag->getDecl()) : nullptr;
  if (!VD || !VD->hasLocalStorage())
    return false;
  const Stmt *S = Take;
  const Stmt *P = PM.getParent(S);
  while (P && !isa<CompoundStmt>(P)) {
    S = P;
    P = PM.getParent(P);
  }
  if (!P)
    return false;
  const auto *CS = cast<CompoundStmt>(P);
  const auto *It = llvm::find(CS->body(), S);
  for (unsigned N = 0; It != CS->body_end() && N < 3; ++N) {
    if (++It == CS->body_end())
      break;
    const auto *BO = dyn_cast<BinaryOperator>(*It);
    if (!BO || BO->getOpcode() != BO_Assign)
      continue;
    const auto *L = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
    std::optional<llvm::APSInt> V = BO->getRHS()->getIntegerConstantExpr(AST);
    if (L && L->getDecl() == VD && V && !V->isZero())
      return true;
  }
  return false;
}

bool isOnlyThreadEntry(TUContext &Ctx, const FunctionDecl *FD) {
  bool Entry = false;
  for (const ThreadStartSite &S : threadStarts(Ctx))
    Entry |= S.Start.Entry && S.Start.Entry->getCanonicalDecl() == FD->getCanonicalDecl();
  if (!Entry)
    return false;
  struct CallFinder : RecursiveASTVisitor<CallFinder> {
    const FunctionDecl *Target;
    bool Called = false;
    bool VisitCallExpr(CallExpr *CE) {
      if (const FunctionDecl *C = CE->getDirectCallee())
        Called |= C->getCanonicalDecl() == Target;
      return !Called;
    }
  } F;
  F.Target = FD->getCanonicalDecl();
  F.TraverseDecl(Ctx.AST.getTranslationUnitDecl());
  return !F.Called;
}

} // namespace

void checkUnlockNotHeld(TUContext &Ctx) {
  LockModel &M = LockModel::of(Ctx);
  const SourceManager &SM = Ctx.AST.getSourceManager();
  for (const FunctionDecl *FD : userFunctionBodies(Ctx)) {
    const FunctionLocks *FL = M.forFunction(FD);
    if (!FL || !FL->touchesLocks() || isReleaseFunction(FD, Ctx.Cfg))
      continue;
    std::unique_ptr<ParentMap> PM;
    auto parents = [&]() -> ParentMap & {
      if (!PM)
        PM = std::make_unique<ParentMap>(const_cast<Stmt *>(FD->getBody()));
      return *PM;
    };
    std::optional<bool> OnlyThreadEntry;
    for (const LockEvent &E : FL->events()) {
      if (E.Op != LockOp::Release || E.Implicit || !E.Lock.valid() ||
          !Ctx.isUserCode(E.Loc))
        continue;
      // A function that never takes the lock releases it for its caller,
      // unless it is where a thread starts: a new thread holds no lock.
      const LockEvent *Acquire = nullptr;
      for (const LockEvent &A : FL->events())
        if (A.Lock == E.Lock && A.Op != LockOp::Release &&
            A.Op != LockOp::Wait && A.Op != LockOp::Disown)
          Acquire = &A;
      if (!Acquire) {
        if (!llvm::StringRef(E.Lock.Key).starts_with("g:") ||
            E.Before.May.find(E.Lock))
          continue;
        if (!OnlyThreadEntry) // a walk of the TU: once per function
          OnlyThreadEntry = isOnlyThreadEntry(Ctx, FD);
        if (!*OnlyThreadEntry)
          continue;
      }
      std::string Lock = E.Lock.Name.empty() ? "the lock" : E.Lock.Name;
      Finding F;
      F.RuleId = "unlock-not-held";
      F.Where = Ctx.point(E.Loc);
      const HeldLock *Must = E.Before.Must.find(E.Lock);
      const HeldLock *May = E.Before.May.find(E.Lock);
      if (E.Guard && guardReassigned(FD->getBody(), E.Guard))
        continue; // `cur = std::move(next)`: the model does not follow it
      if (!Acquire) {
        F.Message = "`" + Lock + "` is unlocked here, but `" + FD->getNameAsString() +
                    "` runs as a thread, which starts holding no lock, and "
                    "takes `" + Lock + "` on no path to here: unlocking a mutex "
                    "the thread does not own is undefined behaviour";
      } else if (May && May->Guarded && !E.Guard &&
          E.Lock.Kind != LockKind::Recursive) {
        F.Message = "`" + Lock + "` is unlocked here while a guard owns it: "
                    "the guard unlocks it again when it goes out of scope, "
                    "an unlock of a lock not held";
      } else if (Must) {
        continue;
      } else if (May) {
        // `if (c) lock(); ... if (c) unlock();` and try-locks whose result
        // is tested later: the paths that reach here hold it.
        const Expr *Cond = guardingCondition(parents(), E.Site);
        bool Correlated = false;
        for (const LockEvent &A : FL->events())
          if (A.Lock == E.Lock && A.Site &&
              (A.Op == LockOp::Acquire || A.Op == LockOp::AcquireShared ||
               A.Op == LockOp::TryAcquire) &&
              (sameCondition(Cond, guardingCondition(parents(), A.Site),
                             Ctx.AST) ||
               ((A.Op == LockOp::TryAcquire) && tryResultKept(*FL, A.Site)) ||
               flagSetAfter(parents(), Cond, A.Site, Ctx.AST)))
            Correlated = true;
        // `if (!x) unlock(); ... if (x) unlock();`: each path unlocks once.
        for (const LockEvent &R : FL->events())
          if (&R != &E && R.Op == LockOp::Release && R.Lock == E.Lock &&
              R.Site && complementary(Cond, guardingCondition(parents(), R.Site),
                                      Ctx.AST))
            Correlated = true;
        // A loop releasing the elements of an array of locks that a loop
        // took (`for (i...) lock(&m[i]); ... for (i...) unlock(&m[i]);`):
        // "some path" is the loop that ran no time.
        auto InLoop = [&](const Stmt *S) {
          for (const Stmt *P = S ? parents().getParent(S) : nullptr; P;
               P = parents().getParent(P))
            if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P))
              return true;
          return false;
        };
        if (llvm::StringRef(E.Lock.Key).ends_with("[]") && InLoop(E.Site))
          for (const LockEvent &A : FL->events())
            if (A.Lock == E.Lock && A.Op != LockOp::Release && A.Site && InLoop(A.Site))
              Correlated = true;
        if (Correlated)
          continue;
        F.Message = "`" + Lock + "` is unlocked here but is not held on some "
                    "path to it: unlocking a mutex the thread does not own is "
                    "undefined behaviour";
        RelatedLocation R;
        R.Where = Ctx.point(May->AcquiredAt ? May->AcquiredAt->getBeginLoc()
                                            : E.Loc);
        R.Message = "`" + Lock + "` is taken here on some paths only";
        F.Related.push_back(std::move(R));
      } else {
        // Not held on any path: an earlier release let go of it, or the
        // function releases a lock its caller holds before taking it again.
        const LockEvent *Earlier = nullptr;
        for (const LockEvent &R : FL->events())
          if (R.Op == LockOp::Release && &R != &E && R.Lock == E.Lock &&
              R.Before.Must.find(E.Lock) && before(SM, R.Loc, E.Loc))
            Earlier = &R;
        if (!Earlier)
          continue;
        bool RetakenBetween = false;
        for (const LockEvent &A : FL->events())
          if (A.Lock == E.Lock && A.Op != LockOp::Release &&
              A.Op != LockOp::Wait && before(SM, Earlier->Loc, A.Loc) &&
              before(SM, A.Loc, E.Loc))
            RetakenBetween = true;
        if (RetakenBetween)
          continue;
        F.Message = "`" + Lock + "` is unlocked here but is not held on any "
                    "path to it: unlocking a mutex the thread does not own is "
                    "undefined behaviour";
        RelatedLocation R;
        R.Where = Ctx.point(Earlier->Loc);
        R.Message = "`" + Lock + "` was released here";
        F.Related.push_back(std::move(R));
      }
      std::string Fn = FD->getQualifiedNameAsString();
      F.FingerprintKey = Fn + "|" + Lock;
      Ctx.report(std::move(F));
    }
  }
}

} // namespace snag
