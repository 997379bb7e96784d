//===- LockNotReleased.cpp - lock-not-released ----------------------------===//
//
// A lock taken by hand that some path out of the function (a return, an
// exception, a jump) leaves held while others release it. The held sets at
// every exit come from the lock model; this rule only decides which of them
// are mistakes.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/LockSummaries.h"
#include "model/Locks.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/ParentMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <set>

using namespace clang;

namespace snag {

namespace {

std::string functionName(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda())
      return "the lambda";
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    FD = Pattern;
  return FD->getQualifiedNameAsString();
}

/// Whether the acquisition at \p Acquire and some release of the same lock
/// sit under the same `if` condition: `if (shared) lock(); ...
/// if (shared) unlock();` releases on every path that locked.
bool correlatedRelease(const FunctionLocks &FL, const LockEvent &Acquire,
                       const ASTContext &AST) {
  const Stmt *Body = FL.function()->getBody();
  if (!Body || !Acquire.Site)
    return false;
  ParentMap PM(const_cast<Stmt *>(Body));
  const Expr *Cond = guardingCondition(PM, Acquire.Site);
  if (!Cond)
    return false;
  for (const LockEvent &E : FL.events())
    if (E.Op == LockOp::Release && E.Lock == Acquire.Lock && E.Site &&
        sameCondition(Cond, guardingCondition(PM, E.Site), AST))
      return true;
  return false;
}

/// Whether two releases of \p Lock sit under opposite conditions:
/// `if (!x) unlock(); ... if (x) unlock();` releases on every path.
bool complementaryReleases(const FunctionLocks &FL, const LockId &Lock,
                           const ASTContext &AST) {
  const Stmt *Body = FL.function()->getBody();
  if (!Body)
    return false;
  ParentMap PM(const_cast<Stmt *>(Body));
  for (const LockEvent &A : FL.events())
    for (const LockEvent &B : FL.events())
      if (&A != &B && A.Op == LockOp::Release && B.Op == LockOp::Release &&
          A.Lock == Lock && B.Lock == Lock && A.Site && B.Site &&
          complementary(guardingCondition(PM, A.Site),
                        guardingCondition(PM, B.Site), AST))
        return true;
  return false;
}

/// Whether \p X is a way out worth reporting. Every call that is not
/// noexcept has an exception edge in the model; of the standard library's,
/// only those that allocate throw in practice (std::bad_alloc), while
/// `sleep_for` or `printf` do not.
bool mayLeaveThisWay(const LockExit &X) {
  if (!X.Exceptional)
    return true;
  const auto *Call = dyn_cast_or_null<CallExpr>(X.Site);
  if (!Call)
    return isa_and_nonnull<CXXConstructExpr>(X.Site) ? false : true;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return true; // through a pointer: anything
  const SourceManager &SM = Callee->getASTContext().getSourceManager();
  if (!SM.isInSystemHeader(Callee->getLocation()))
    return true;
  static const llvm::StringSet<> Allocating = {
      "push_back", "emplace_back", "push_front", "emplace_front", "emplace",
      "insert", "try_emplace", "insert_or_assign", "resize", "reserve", "at",
      "append", "assign", "push", "operator[]", "operator+", "operator+=",
      "operator new", "operator new[]", "make_shared", "make_unique",
      "to_string", "substr", "stoi", "stol", "stoul", "stod", "what"};
  return Callee->getIdentifier()
             ? Allocating.contains(Callee->getName())
             : Allocating.contains(Callee->getNameAsString());
}

} // namespace

void checkLockNotReleased(TUContext &Ctx) {
  LockModel &M = LockModel::of(Ctx);
  for (const FunctionDecl *FD : userFunctionBodies(Ctx)) {
    const FunctionLocks *FL = M.forFunction(FD);
    // A function that exists to take a lock for its caller (by its name,
    // or as inferred: a try that returns what it took) keeps it on purpose.
    if (!FL || !FL->touchesLocks() || isAcquireFunction(FD, Ctx.Cfg) ||
        M.wrapperRow(FD))
      continue;
    // Which locks the function means to release: those it releases itself
    // somewhere. A function that never lets go of a lock hands it to its
    // caller on purpose (an iterator that holds a table lock; an error path
    // that returns before taking it does not make it a leak).
    // A function that first releases a lock its caller holds and takes it
    // again gives it back as it found it.
    std::set<std::string> Released, CallersLocks;
    for (const LockEvent &E : FL->events())
      if (E.Op == LockOp::Release) {
        Released.insert(E.Lock.key());
        if (!E.Implicit && !E.Before.Must.find(E.Lock))
          CallersLocks.insert(E.Lock.key());
      }
    llvm::DenseSet<const Stmt *> Reported;
    for (const LockExit &X : FL->exits()) {
      if (!mayLeaveThisWay(X))
        continue;
      for (const HeldLock &H : X.Held.May.locks()) {
        if (H.Guarded || !H.AcquiredAt || CallersLocks.count(H.Lock.key()))
          continue;
        // Taken twice on some path: double-lock reports that mistake (and a
        // try-lock of a held lock fails, whatever the count says).
        bool TakenTwice = false;
        for (const LockEvent &E : FL->events())
          if (E.Op != LockOp::Release && E.Op != LockOp::Wait &&
              E.Op != LockOp::Disown &&
              E.Lock == H.Lock && H.Lock.Kind != LockKind::Recursive &&
              E.Before.May.find(H.Lock) && !adoptsLock(E))
            TakenTwice = true;
        if (TakenTwice)
          continue;
        if (!Released.count(H.Lock.key()))
          continue;
        if (!Reported.insert(H.AcquiredAt).second)
          continue;
        // The event that took it, or that gave up its guard.
        const LockEvent *Taken = nullptr;
        for (const LockEvent &E : FL->events()) {
          if (E.Lock == H.Lock && E.Op == LockOp::Disown)
            Taken = &E;
          if (!Taken && E.Site == H.AcquiredAt && E.Lock == H.Lock)
            Taken = &E;
        }
        // A try-lock of a lock already held cannot succeed; the lock was
        // taken earlier, where the other events of this loop look.
        if (Taken && (Taken->Op == LockOp::TryAcquire ||
                      Taken->Op == LockOp::TryAcquireShared) &&
            Taken->Before.Must.find(H.Lock))
          continue;
        if (!Taken || !Ctx.isUserCode(Taken->Loc) ||
            correlatedRelease(*FL, *Taken, Ctx.AST) ||
            complementaryReleases(*FL, H.Lock, Ctx.AST))
          continue;
        // A try-lock whose result is kept for a later test: the model
        // cannot tell which paths hold it.
        if ((Taken->Op == LockOp::TryAcquire ||
             Taken->Op == LockOp::TryAcquireShared) &&
            tryResultKept(*FL, Taken->Site))
          continue;
        std::string Fn = functionName(FD);
        std::string Lock = H.Lock.Name.empty() ? "the lock" : H.Lock.Name;
        Finding F;
        F.RuleId = "lock-not-released";
        F.Where = Ctx.point(Taken->Loc);
        F.Message = "`" + Lock + "` is locked here and may still be held "
                    "when `" + Fn + "` returns: the next attempt to take it "
                    "waits for ever";
        // Every way out that keeps it, exceptional ones after the others.
        for (bool Exceptional : {false, true})
          for (const LockExit &Y : FL->exits()) {
            if (Y.Exceptional != Exceptional || !Y.Held.May.find(H.Lock) ||
                !mayLeaveThisWay(Y) ||
                F.Related.size() >= 4)
              continue;
            RelatedLocation R;
            R.Where = Ctx.point(Y.Loc);
            R.Message = Exceptional
                            ? "an exception from this call leaves `" + Fn +
                                  "` with `" + Lock + "` held"
                            : "`" + Fn + "` returns here with `" + Lock +
                                  "` held";
            F.Related.push_back(std::move(R));
          }
        F.FingerprintKey = Fn + "|" + Lock;
        Ctx.report(std::move(F));
      }
    }
  }
}

} // namespace snag
