//===- DoubleLock.cpp - double-lock ---------------------------------------===//
//
// A non-recursive lock taken again by the thread that holds it: in the same
// function (the lock model's held set before the acquisition), or in a
// callee reached while the caller holds it (lock summaries). Only the same
// lock counts (same declaration, same object), not a lock that might alias.
// Callees in the same TU are followed per TU; a chain of callees that
// leaves the TU is followed at the link step, on the lock facts
// (model/LockFacts.h), with the same message.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/LockFacts.h"
#include "model/LockSummaries.h"
#include "model/Locks.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseSet.h"

#include <set>

using namespace clang;

namespace snag {

namespace {

bool blocksOnHolder(const LockId &L, bool SecondShared, const HeldLock &Held) {
  if (L.Kind == LockKind::Recursive)
    return false;
  // Two reader locks by one thread do not wait for each other.
  return !(SecondShared && Held.Shared);
}

/// An element of a lock array at an index snag cannot compute (`m[i]`):
/// another such element is the same lock only when spelled the same way in
/// the same function; through a call, the indices are another function's.
bool anyElement(llvm::StringRef Key) { return Key.ends_with("[]"); }

std::string nameOf(const LockId &L) {
  return L.Name.empty() ? "the lock" : L.Name;
}

SourceLocation heldAtLoc(const FunctionLocks &FL, const HeldLock &H) {
  for (const LockEvent &E : FL.events())
    if (E.Site == H.AcquiredAt && E.Lock == H.Lock)
      return E.Loc;
  return H.AcquiredAt ? H.AcquiredAt->getBeginLoc() : SourceLocation();
}

std::string calleeName(const CallExpr *Call) {
  if (const FunctionDecl *FD = Call->getDirectCallee())
    return FD->getNameAsString();
  return "a function";
}

} // namespace

void checkDoubleLock(TUContext &Ctx) {
  LockModel &M = LockModel::of(Ctx);
  const SourceManager &SM = Ctx.AST.getSourceManager();
  // One finding per second acquisition, however many callers reach it.
  llvm::DenseSet<SourceLocation> Reported;
  for (const FunctionDecl *FD : userFunctionBodies(Ctx)) {
    const FunctionLocks *FL = M.forFunction(FD);
    if (!FL || !FL->touchesLocks())
      continue;
    std::string Caller = FD->getNameAsString();
    // In the function itself.
    for (const LockEvent &E : FL->events()) {
      if ((E.Op != LockOp::Acquire && E.Op != LockOp::AcquireShared) ||
          adoptsLock(E))
        continue;
      const HeldLock *H = E.Before.May.find(E.Lock);
      if (!H || H->AcquiredAt == E.Site || !Ctx.isUserCode(E.Loc) ||
          !blocksOnHolder(E.Lock, E.Op == LockOp::AcquireShared, *H) ||
          (anyElement(E.Lock.Key) && H->Lock.Name != E.Lock.Name))
        continue;
      if (!Reported.insert(SM.getFileLoc(E.Loc)).second)
        continue;
      std::string Lock = nameOf(E.Lock);
      Finding F;
      F.RuleId = "double-lock";
      F.Where = Ctx.point(E.Loc);
      F.Message = "`" + Lock + "` is taken again by the thread that already "
                  "holds it: a non-recursive mutex waits for itself for ever";
      F.Related.push_back({Ctx.point(heldAtLoc(*FL, *H)),
                           "`" + Lock + "` was taken here"});
      F.FingerprintKey = Caller + "|" + Lock;
      Ctx.report(std::move(F));
    }
    // Through the functions it calls while holding locks.
    const CFG *G = FL->cfg();
    if (!G)
      continue;
    for (const CFGBlock *B : *G)
      for (const CFGElement &El : *B) {
        auto S = El.getAs<CFGStmt>();
        if (!S)
          continue;
        const auto *Call = dyn_cast<CallExpr>(S->getStmt());
        if (!Call || M.apiFor(Call))
          continue;
        const HeldState *Held = FL->heldAt(Call);
        const FunctionDecl *Callee = Call->getDirectCallee();
        if (!Held || Held->May.empty() || !Callee || !Callee->getDefinition())
          continue;
        for (const TakenLock &T : locksTakenBy(M, Callee->getDefinition(), 4,
                                               M.bindingOf(Call))) {
          LockId Mapped = lockInCaller(T.Lock, Call, Callee, Ctx.AST);
          if (!Mapped.valid() || anyElement(Mapped.Key))
            continue;
          const HeldLock *H = Held->May.find(Mapped);
          if (!H || !blocksOnHolder(Mapped, T.Shared, *H) ||
              !Ctx.isUserCode(T.Loc))
            continue;
          if (!Reported.insert(SM.getFileLoc(T.Loc)).second)
            continue;
          std::string Lock = nameOf(Mapped);
          std::string Inner = T.Lock.Name.empty() ? Lock : T.Lock.Name;
          Finding F;
          F.RuleId = "double-lock";
          F.Where = Ctx.point(T.Loc);
          F.Message = "`" + Inner + "` is taken again by the thread that "
                      "already holds it (`" + Caller + "` holds `" + Lock +
                      "` when it calls `" + calleeName(Call) +
                      "`): a non-recursive mutex waits for itself for ever";
          F.Related.push_back({Ctx.point(heldAtLoc(*FL, *H)),
                               "`" + Lock + "` was taken here"});
          F.Related.push_back({Ctx.point(Call->getExprLoc()),
                               "`" + Caller + "` calls `" + calleeName(Call) +
                                   "` here while holding `" + Lock + "`"});
          std::string From = calleeName(Call);
          for (const CallExpr *Next : T.Chain) {
            F.Related.push_back({Ctx.point(Next->getExprLoc()),
                                 "`" + From + "` calls `" + calleeName(Next) +
                                     "` here"});
            From = calleeName(Next);
          }
          F.FingerprintKey = Caller + "|" + calleeName(Call) + "|" + Lock;
          Ctx.report(std::move(F));
        }
      }
  }
}

void checkDoubleLockAcrossTUs(LinkContext &Ctx) {
  LockFactsIndex Index(Ctx.Units);
  std::set<std::string> Reported;
  for (const LockFn &F : Index.functions()) {
    for (const LockCallFact &C : F.Fn->Calls) {
      if (C.May.empty())
        continue;
      std::vector<LinkTaken> Taken = Index.takenBy(C.Callee, 4, &C);
      for (const LinkTaken &T : Taken) {
        // A chain that stays in this TU was reported by checkDoubleLock.
        bool Leaves = false;
        for (const std::string &Usr : T.Bodies)
          if (!Index.definedIn(Usr, F.UnitIndex))
            Leaves = true;
        if (!Leaves)
          continue;
        std::optional<LinkLock> Mapped = Index.inCaller(T.Lock, F, C);
        if (!Mapped || anyElement(Mapped->Key))
          continue;
        const HeldLockFact *H = nullptr;
        for (const HeldLockFact &Held : C.May)
          if (Index.lock(F, Held.Lock).key() == Mapped->key())
            H = &Held;
        if (!H || Mapped->Recursive || (T.Shared && H->Shared))
          continue;
        SourcePoint Where = T.At.point();
        if (!Reported
                 .insert(Where.File + ":" + std::to_string(Where.Line) + ":" +
                         std::to_string(Where.Column))
                 .second)
          continue;
        std::string Caller = F.Fn->Name;
        std::string Lock = Mapped->Name.empty() ? "the lock" : Mapped->Name;
        std::string Inner = T.Lock.Name.empty() ? Lock : T.Lock.Name;
        Finding D;
        D.RuleId = "double-lock";
        D.Origin = "check";
        D.Where = Where;
        D.Message = "`" + Inner + "` is taken again by the thread that "
                    "already holds it (`" + Caller + "` holds `" + Lock +
                    "` when it calls `" + C.Name +
                    "`): a non-recursive mutex waits for itself for ever";
        D.Related.push_back(
            {Index.site(F, H->At).point(), "`" + Lock + "` was taken here"});
        D.Related.push_back({Index.site(F, C.At).point(),
                             "`" + Caller + "` calls `" + C.Name +
                                 "` here while holding `" + Lock + "`"});
        std::string From = C.Name;
        for (const auto &[Site, Callee] : T.Chain) {
          D.Related.push_back({Site.point(), "`" + From + "` calls `" +
                                                 Callee + "` here"});
          From = Callee;
        }
        D.FingerprintKey = Caller + "|" + C.Name + "|" + Lock;
        Ctx.report(std::move(D));
      }
    }
  }
}

} // namespace snag
