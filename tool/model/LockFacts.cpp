//===- LockFacts.cpp - Lock takes and calls per TU; summaries at the link --===//
#include "model/LockFacts.h"
#include "model/LockSummaries.h"
#include "model/Locks.h"
#include "model/Threads.h"
#include "model/Usr.h"
#include "model/UserCodeVisitor.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>

using namespace clang;

namespace snag {

namespace {

SourceLocation heldAtLoc(const FunctionLocks &FL, const HeldLock &H) {
  for (const LockEvent &E : FL.events())
    if (E.Site == H.AcquiredAt && E.Lock == H.Lock)
      return E.Loc;
  return H.AcquiredAt ? H.AcquiredAt->getBeginLoc() : SourceLocation();
}

/// Whether a parameter of type \p T can hand a lock to its callee.
bool mayBeLock(QualType T) {
  if (T.isNull())
    return false;
  QualType Pointee = T->isPointerType() ? T->getPointeeType()
                                        : T.getNonReferenceType();
  if (lockKindOf(Pointee) != LockKind::Unknown)
    return true;
  std::string Name = llvm::StringRef(Pointee.getUnqualifiedType().getAsString())
                         .lower();
  return llvm::StringRef(Name).contains("mutex") ||
         llvm::StringRef(Name).contains("lock");
}

class Extractor {
public:
  Extractor(TUContext &Ctx)
      : Ctx(Ctx), M(LockModel::of(Ctx)), SM(Ctx.AST.getSourceManager()),
        PF(Ctx.Facts.Program) {
    for (uint32_t I = 0; I < PF.Files.size(); ++I)
      FileIndex[PF.Files[I]] = I;
  }

  void run() {
    std::vector<const FunctionDecl *> Bodies = userFunctionBodies(Ctx);
    for (const FunctionDecl *FD : Bodies)
      if (FD->isMain())
        findMainPhases(FD);
    for (const FunctionDecl *FD : Bodies)
      extract(FD);
  }

private:
  TUContext &Ctx;
  LockModel &M;
  const SourceManager &SM;
  ProgramFacts &PF;
  llvm::StringMap<uint32_t> FileIndex, LockIndex;
  SourceLocation FirstStart, LastStart, LastJoin;

  FactSite site(SourceLocation Loc) {
    SourcePoint P = Ctx.point(Loc);
    auto It = FileIndex.try_emplace(P.File, PF.Files.size());
    if (It.second)
      PF.Files.push_back(P.File);
    return {It.first->second, P.Line, P.Column};
  }

  uint32_t lockIndex(const LockId &L, const FunctionDecl *FD) {
    auto It = LockIndex.try_emplace(L.key(), PF.LockOrder.Locks.size());
    if (It.second) {
      LockRefFact R;
      R.Key = L.Key;
      R.Base = L.Base;
      R.Name = L.Name;
      R.Recursive = L.Kind == LockKind::Recursive;
      if (llvm::StringRef(L.Key).starts_with("p:"))
        for (unsigned I = 0; I < FD->getNumParams(); ++I)
          if (L.Key.substr(2) == usrOf(FD->getParamDecl(I)))
            R.Param = int(I);
      PF.LockOrder.Locks.push_back(std::move(R));
    }
    return It.first->second;
  }

  bool before(SourceLocation A, SourceLocation B) const {
    return SM.isBeforeInTranslationUnit(SM.getFileLoc(A), SM.getFileLoc(B));
  }

  void findMainPhases(const FunctionDecl *Main) {
    for (const ThreadStartSite &S : threadStarts(Ctx)) {
      if (!S.Caller || !S.Caller->isMain())
        continue;
      SourceLocation L = S.Start.Call->getExprLoc();
      if (FirstStart.isInvalid() || before(L, FirstStart))
        FirstStart = L;
      if (LastStart.isInvalid() || before(LastStart, L))
        LastStart = L;
    }
    if (const FunctionLocks *FL = M.forFunction(Main))
      if (const CFG *G = FL->cfg())
        for (const CFGBlock *B : *G)
          for (const CFGElement &El : *B)
            if (auto S = El.getAs<CFGStmt>())
              if (const auto *Call = dyn_cast<CallExpr>(S->getStmt()))
                if (auto Op = threadModel(Ctx).handleOp(Call))
                  if (Op->Kind == ThreadOpKind::Join &&
                      (LastJoin.isInvalid() ||
                       before(LastJoin, Call->getExprLoc())))
                    LastJoin = Call->getExprLoc();
  }

  /// Whether \p L, in main, runs while main is the only thread.
  bool mainIsAlone(SourceLocation L) const {
    if (FirstStart.isInvalid())
      return false; // no thread start seen: main's callees may start some
    if (before(L, FirstStart))
      return true;
    return LastJoin.isValid() && before(LastStart, LastJoin) &&
           before(LastJoin, L);
  }

  std::vector<HeldLockFact> held(const FunctionLocks &FL, const LockSet &S,
                                 const Stmt *Site, const FunctionDecl *FD) {
    std::vector<HeldLockFact> Out;
    for (const HeldLock &H : S.locks()) {
      if (H.AcquiredAt == Site || !H.Lock.valid())
        continue; // std::scoped_lock / std::lock: all at once
      Out.push_back({lockIndex(H.Lock, FD), site(heldAtLoc(FL, H)), H.Shared});
    }
    return Out;
  }

  /// The first array subscript in \p S: the index of the element a lock
  /// call or guard names.
  static const Expr *subscriptIn(const Stmt *S) {
    if (!S)
      return nullptr;
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(S))
      return ASE->getIdx();
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
        OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2)
      return OC->getArg(1);
    for (const Stmt *C : S->children())
      if (const Expr *I = subscriptIn(C))
        return I;
    return nullptr;
  }

  /// The variables an expression reads; false when it calls a function or
  /// chooses (`?:`), as an index put in order does (`min(a, b)`).
  static bool plainVars(const Stmt *S, std::set<const VarDecl *> &Out) {
    if (!S || isa<CallExpr, ConditionalOperator, BinaryConditionalOperator>(S))
      return S == nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        Out.insert(VD);
    for (const Stmt *C : S->children())
      if (!plainVars(C, Out))
        return false;
    return true;
  }

  /// Whether \p Body puts the two indices in order: assigns one of their
  /// variables again (`if (a > b) swap...`, `first = 0; second = i;` on one
  /// branch), or compares a variable of one with a variable of the other.
  static bool ordersIndices(const Stmt *Body, const std::set<const VarDecl *> &A,
                            const std::set<const VarDecl *> &B) {
    struct Finder : RecursiveASTVisitor<Finder> {
      const std::set<const VarDecl *> *A, *B;
      bool Found = false;
      static void vars(const Expr *E, std::set<const VarDecl *> &Out) {
        if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
          if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
            Out.insert(VD);
        for (const Stmt *C : E->children())
          if (const auto *CE = dyn_cast_or_null<Expr>(C))
            vars(CE, Out);
      }
      bool names(const Expr *E) const {
        const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
        const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
        return VD && (A->count(VD) || B->count(VD));
      }
      bool VisitBinaryOperator(BinaryOperator *BO) {
        if (BO->isAssignmentOp() && names(BO->getLHS()))
          Found = true;
        if (BO->isRelationalOp()) {
          std::set<const VarDecl *> L, R;
          vars(BO->getLHS(), L);
          vars(BO->getRHS(), R);
          for (const VarDecl *X : L)
            for (const VarDecl *Y : R)
              if (X != Y && ((A->count(X) && B->count(Y)) || (B->count(X) && A->count(Y))))
                Found = true;
        }
        return !Found;
      }
      bool VisitUnaryOperator(UnaryOperator *UO) {
        if (UO->isIncrementDecrementOp() && names(UO->getSubExpr()))
          Found = true;
        return !Found;
      }
    } F;
    F.A = &A;
    F.B = &B;
    F.TraverseStmt(const_cast<Stmt *>(Body));
    return F.Found;
  }

  /// For a take of an element of an array of locks while another element
  /// of it is held: the two, when their indices are in no fixed order.
  void otherElement(const FunctionLocks &FL, const LockEvent &E, LockTakeFact &T) {
    if (!llvm::StringRef(E.Lock.Key).ends_with("[]"))
      return;
    for (const HeldLock &H : E.Before.Must.locks()) {
      // std::scoped_lock and std::lock take all at once, deadlock-free.
      if (H.Lock.key() != E.Lock.key() || H.Lock.Name == E.Lock.Name || !H.AcquiredAt ||
          H.AcquiredAt == E.Site)
        continue;
      const Expr *TakenIdx = subscriptIn(E.Site), *HeldIdx = subscriptIn(H.AcquiredAt);
      std::set<const VarDecl *> TakenVars, HeldVars;
      if (!TakenIdx || !HeldIdx || !plainVars(TakenIdx, TakenVars) ||
          !plainVars(HeldIdx, HeldVars) || TakenVars.empty() || HeldVars.empty())
        return;
      // Loop counters step: an index that is one (a loop taking every
      // element in turn) is in order.
      if (ordersIndices(FL.function()->getBody(), HeldVars, TakenVars))
        return;
      T.ElementHeld = H.Lock.Name;
      T.ElementTaken = E.Lock.Name;
      T.ElementHeldAt = site(heldAtLoc(FL, H));
      return;
    }
  }

  void extract(const FunctionDecl *FD) {
    const FunctionLocks *FL = M.forFunction(FD);
    if (!FL || !FL->cfg())
      return;
    LockFunctionFacts F;
    F.Usr = usrOf(FD);
    if (F.Usr.empty())
      return;
    F.IsMain = FD->isMain();
    F.Name = FD->getNameAsString();
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
      if (MD->getParent()->isLambda())
        F.Name = "lambda";
    // A function that releases its caller's lock and takes it again (to
    // sleep without it) hands it back: it does not take it anew.
    std::set<std::string> CallersLocks;
    for (const LockEvent &E : FL->events())
      if (E.Op == LockOp::Release && !E.Implicit &&
          !E.Before.Must.find(E.Lock))
        CallersLocks.insert(E.Lock.key());
    // The paths each constant of a parameter selects: what they leave out
    // a call passing that constant does not do.
    std::vector<std::pair<ParamBinding, const FunctionLocks *>> Selected;
    for (const ParamBinding &B : M.testedConstants(FD))
      if (const FunctionLocks *S = M.forFunction(FD, B))
        Selected.push_back({B, S});
    auto Unless = [&](const Stmt *S) {
      std::vector<std::pair<uint32_t, int64_t>> Out;
      for (const auto &[B, Paths] : Selected)
        if (!Paths->heldAt(S))
          Out.emplace_back(B.Param, B.Value);
      return Out;
    };
    for (const LockEvent &E : FL->events()) {
      if ((E.Op != LockOp::Acquire && E.Op != LockOp::AcquireShared) ||
          !E.Lock.valid() || adoptsLock(E) || !Ctx.isUserCode(E.Loc))
        continue;
      LockTakeFact T;
      if (E.Site)
        T.Unless = Unless(E.Site);
      T.Lock = lockIndex(E.Lock, FD);
      T.At = site(E.Loc);
      T.Shared = E.Op == LockOp::AcquireShared;
      T.HandBack = CallersLocks.count(E.Lock.key());
      T.Alone = F.IsMain && mainIsAlone(E.Loc);
      T.Must = held(*FL, E.Before.Must, E.Site, FD);
      T.May = held(*FL, E.Before.May, E.Site, FD);
      otherElement(*FL, E, T);
      F.Takes.push_back(std::move(T));
    }
    for (const CFGBlock *B : *FL->cfg())
      for (const CFGElement &El : *B) {
        auto S = El.getAs<CFGStmt>();
        if (!S)
          continue;
        const auto *Call = dyn_cast<CallExpr>(S->getStmt());
        if (!Call || M.apiFor(Call))
          continue;
        const FunctionDecl *Callee = Call->getDirectCallee();
        if (!Callee || !Ctx.isUserCode(Callee->getLocation()))
          continue;
        LockCallFact C;
        C.Callee = usrOf(Callee->getCanonicalDecl());
        if (C.Callee.empty() || C.Callee == F.Usr)
          continue;
        C.Name = Callee->getNameAsString();
        C.At = site(Call->getExprLoc());
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
          C.Object = "?:object";
          if (const Expr *Obj = MC->getImplicitObjectArgument()) {
            Obj = Obj->IgnoreParenImpCasts();
            if (isa<CXXThisExpr>(Obj)) {
              C.Object = "this";
            } else {
              LockId B = lockIdOf(Obj, Ctx.AST);
              if (B.valid())
                C.Object = B.key();
            }
          }
        }
        for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
          int32_t Arg = -1;
          if (I < Callee->getNumParams() &&
              mayBeLock(Callee->getParamDecl(I)->getType())) {
            LockId L = lockIdOf(Call->getArg(I), Ctx.AST);
            if (L.valid())
              Arg = int32_t(lockIndex(L, FD));
          }
          C.Args.push_back(Arg);
        }
        while (!C.Args.empty() && C.Args.back() < 0)
          C.Args.pop_back();
        C.Alone = F.IsMain && mainIsAlone(Call->getExprLoc());
        for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
          const Expr *Arg = Call->getArg(I);
          if (Arg->isValueDependent() ||
              !Arg->getType()->isIntegralOrEnumerationType())
            continue;
          if (std::optional<llvm::APSInt> K = Arg->getIntegerConstantExpr(Ctx.AST))
            C.Consts.emplace_back(I, K->getExtValue());
        }
        C.Unless = Unless(Call);
        if (const HeldState *H = FL->heldAt(Call)) {
          C.Must = held(*FL, H->Must, nullptr, FD);
          C.May = held(*FL, H->May, nullptr, FD);
        }
        F.Calls.push_back(std::move(C));
      }
    if (!F.Takes.empty() || !F.Calls.empty())
      PF.LockOrder.Functions.push_back(std::move(F));
  }
};

} // namespace

void extractLockOrderFacts(TUContext &Ctx) { Extractor(Ctx).run(); }

void extractLockFunctions(TUContext &Ctx) {
  LockModel &M = LockModel::of(Ctx);
  ProgramFacts &PF = Ctx.Facts.Program;
  for (const FunctionDecl *FD : userFunctionBodies(Ctx)) {
    if (FD->isDependentContext() || FD->isTemplateInstantiation())
      continue;
    const ThreadFunctionFact *T = nullptr;
    if (FD->isExternallyVisible()) {
      if (std::optional<LockFunctionFact> F = M.exportRow(FD))
        PF.LockFunctions.push_back(std::move(*F));
      if ((T = threadModel(Ctx).threadFunction(FD)))
        PF.ThreadFunctions.push_back(*T);
    }
    // An override that starts threads (leveldb's PosixEnv::Schedule, in an
    // unnamed namespace): other TUs call it through the base class.
    const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD);
    if (!MD || MD->size_overridden_methods() == 0)
      continue;
    if (!T)
      T = threadModel(Ctx).threadFunction(FD);
    if (!T || T->Entry < 0)
      continue;
    llvm::SmallVector<const CXXMethodDecl *, 4> Bases;
    overriddenMethods(MD, Bases);
    for (const CXXMethodDecl *B : Bases)
      if (B->isExternallyVisible()) {
        ThreadFunctionFact Base = *T;
        Base.Usr = usrOf(B);
        Base.Joins = -1;
        PF.ThreadFunctions.push_back(std::move(Base));
      }
  }
  // Calls of the user's functions that have no body here.
  struct Calls : UserCodeVisitor<Calls> {
    TUContext &Ctx;
    std::set<std::string> Out;
    explicit Calls(TUContext &Ctx) : Ctx(Ctx) {}
    bool VisitCallExpr(CallExpr *CE) {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (FD && !FD->getDefinition() && FD->isExternallyVisible() &&
          FD->getIdentifier() && Ctx.isUserCode(FD->getLocation()))
        Out.insert(usrOf(FD->getCanonicalDecl()));
      return true;
    }
  } Finder(Ctx);
  Finder.TraverseDecl(Ctx.AST.getTranslationUnitDecl());
  Finder.Out.erase("");
  PF.Imports.assign(Finder.Out.begin(), Finder.Out.end());
}

//===----------------------------------------------------------------------===//
// The link step
//===----------------------------------------------------------------------===//

SourcePoint LinkSite::point() const {
  SourcePoint P;
  if (Unit && At.File < Unit->Program.Files.size())
    P.File = Unit->Program.Files[At.File];
  P.Line = At.Line;
  P.Column = At.Column;
  return P;
}

bool LinkSite::operator<(const LinkSite &O) const {
  if (UnitIndex != O.UnitIndex)
    return UnitIndex < O.UnitIndex;
  SourcePoint A = point(), B = O.point();
  return std::tie(A.File, A.Line, A.Column) < std::tie(B.File, B.Line, B.Column);
}

LockFactsIndex::LockFactsIndex(llvm::ArrayRef<const TUFacts *> Units)
    : Units(Units) {
  DefinedIn.resize(Units.size());
  for (unsigned U = 0; U < Units.size(); ++U)
    for (const LockFunctionFacts &F : Units[U]->Program.LockOrder.Functions) {
      DefinedIn[U].insert(F.Usr);
      if (ByUsr.try_emplace(F.Usr, Functions.size()).second)
        Functions.push_back({Units[U], U, &F});
    }
  for (const LockFn &F : Functions)
    for (const LockCallFact &C : F.Fn->Calls)
      Callers[C.Callee].push_back({&F, &C});
  // Threads: main, and every thread entry the race facts name.
  std::map<std::string, unsigned> StartsOf;
  // A start counts once per TU that defines its function, the copies
  // FactsMerger dropped included.
  auto Count = [&](const std::string &Entry, bool Many) {
    if (Entry.empty())
      return;
    if (++StartsOf[Entry] > 1 || Many)
      ManyRoots.insert(Entry);
  };
  for (const TUFacts *U : Units) {
    for (const FunctionFacts &F : U->Program.Functions)
      for (const StartFact &S : F.Starts)
        Count(S.Entry, S.Many);
    for (const auto &[Entry, Many] : U->DroppedStarts)
      Count(Entry, Many);
  }
  for (const auto &[Entry, N] : StartsOf) {
    Entries.insert(Entry);
    reach(Entry, Entry);
  }
  for (const LockFn &F : Functions)
    if (F.Fn->IsMain)
      reach(F.Fn->Usr, "main");
}

void LockFactsIndex::reach(const std::string &Entry, const std::string &Root) {
  std::vector<std::string> Work{Entry};
  llvm::StringSet<> Seen; // membership only: hashed, not ordered
  while (!Work.empty()) {
    std::string Usr = std::move(Work.back());
    Work.pop_back();
    if (!Seen.insert(Usr).second)
      continue;
    Roots[Usr].insert(Root);
    if (const LockFn *F = function(Usr))
      for (const LockCallFact &C : F->Fn->Calls)
        Work.push_back(C.Callee);
  }
}

const LockFn *LockFactsIndex::function(llvm::StringRef Usr) const {
  auto It = ByUsr.find(Usr);
  return It == ByUsr.end() ? nullptr : &Functions[It->second];
}

bool LockFactsIndex::definedIn(llvm::StringRef Usr, unsigned UnitIndex) const {
  if (UnitIndex >= DefinedIn.size())
    return false;
  if (DefinedIn[UnitIndex].count(Usr.str()))
    return true;
  // A copy FactsMerger dropped for another TU's.
  const std::vector<uint64_t> &Dropped = Units[UnitIndex]->DroppedLockFunctions;
  return std::binary_search(Dropped.begin(), Dropped.end(),
                            llvm::xxh3_64bits(Usr));
}

LinkLock LockFactsIndex::lock(const LockFn &F, uint32_t Index) const {
  LinkLock L;
  const auto &Locks = F.Unit->Program.LockOrder.Locks;
  if (Index >= Locks.size())
    return L;
  const LockRefFact &R = Locks[Index];
  L.Key = R.Key;
  L.Base = R.Base;
  L.Name = R.Name;
  L.Param = R.Param;
  L.Recursive = R.Recursive;
  return L;
}

std::optional<LinkLock>
LockFactsIndex::inCaller(const LinkLock &CalleeLock, const LockFn &Caller,
                         const LockCallFact &Call) const {
  llvm::StringRef Key = CalleeLock.Key;
  if (Key.starts_with("g:"))
    return CalleeLock;
  if (Key.starts_with("f:")) {
    if (CalleeLock.Base != "this" || Call.Object.empty())
      return std::nullopt;
    LinkLock Mapped = CalleeLock;
    if (Call.Object != "this")
      Mapped.Base = Call.Object;
    return Mapped;
  }
  if (Key.starts_with("p:") && CalleeLock.Param >= 0 &&
      size_t(CalleeLock.Param) < Call.Args.size() &&
      Call.Args[CalleeLock.Param] >= 0)
    return lock(Caller, uint32_t(Call.Args[CalleeLock.Param]));
  return std::nullopt;
}

const std::vector<LinkTaken> &LockFactsIndex::takenBy(llvm::StringRef UsrRef,
                                                      unsigned Depth,
                                                      const LockCallFact *Via) {
  static const std::vector<LinkTaken> None;
  // A take or call the caller's constant arguments rule out is not made.
  std::vector<std::pair<uint32_t, int64_t>> Consts;
  if (Via)
    Consts = Via->Consts;
  auto RuledOut = [&](const std::vector<std::pair<uint32_t, int64_t>> &Unless) {
    return llvm::any_of(Unless, [&](const auto &U) {
      return llvm::is_contained(Consts, U);
    });
  };
  std::string Usr = UsrRef.str();
  std::string Memo = Usr;
  for (const auto &[Param, Value] : Consts)
    Memo += "|" + std::to_string(Param) + "=" + std::to_string(Value);
  auto It = Taken.find(Memo);
  if (It != Taken.end())
    return It->second;
  const LockFn *F = function(Usr);
  if (!F || Depth == 0 || !InProgress.insert(Memo).second)
    return None; // recursion: what the outer call finds is enough
  std::vector<LinkTaken> Out;
  std::set<std::pair<std::string, std::string>> Seen; // lock, site
  auto Add = [&](LinkTaken T) {
    SourcePoint P = T.At.point();
    std::string Where =
        P.File + ":" + std::to_string(P.Line) + ":" + std::to_string(P.Column);
    if (Out.size() < 256 && Seen.insert({T.Lock.key(), Where}).second)
      Out.push_back(std::move(T));
  };
  for (const LockTakeFact &T : F->Fn->Takes) {
    if (T.HandBack || RuledOut(T.Unless))
      continue;
    LinkTaken L;
    L.Lock = lock(*F, T.Lock);
    L.Shared = T.Shared;
    L.At = site(*F, T.At);
    L.Bodies = {Usr};
    Add(std::move(L));
  }
  for (const LockCallFact &C : F->Fn->Calls) {
    if (RuledOut(C.Unless))
      continue;
    // Copy: the recursive call may grow Taken.
    std::vector<LinkTaken> Inner = takenBy(C.Callee, Depth - 1, &C);
    for (LinkTaken &T : Inner) {
      std::optional<LinkLock> Mapped = inCaller(T.Lock, *F, C);
      if (!Mapped)
        continue;
      T.Lock = *Mapped;
      T.Chain.insert(T.Chain.begin(), {site(*F, C.At), C.Name});
      T.Bodies.insert(T.Bodies.begin(), Usr);
      Add(std::move(T));
    }
  }
  InProgress.erase(Memo);
  return Taken[Memo] = std::move(Out);
}

const std::set<std::string> &
LockFactsIndex::rootsOf(llvm::StringRef Usr) const {
  static const std::set<std::string> Unknown;
  auto It = Roots.find(Usr.str());
  return It == Roots.end() ? Unknown : It->second;
}

bool LockFactsIndex::startupOnly(llvm::StringRef UsrRef, unsigned Depth) {
  std::string Usr = UsrRef.str();
  const LockFn *F = function(Usr);
  if ((F && F->Fn->IsMain) || Depth > 6)
    return false;
  auto Cached = StartupOnly.find(Usr);
  if (Cached != StartupOnly.end())
    return Cached->second;
  StartupOnly[Usr] = false; // recursion: not proven
  auto It = Callers.find(Usr);
  bool Result = It != Callers.end() && !It->second.empty();
  if (Result)
    for (const auto &[Caller, Call] : It->second)
      if (!(Caller->Fn->IsMain ? Call->Alone
                               : startupOnly(Caller->Fn->Usr, Depth + 1)))
        Result = false;
  // A thread entry runs on its own thread.
  for (const std::string &R : rootsOf(Usr))
    if (R != "main")
      Result = false;
  return StartupOnly[Usr] = Result;
}

const std::set<std::string> &LockFactsIndex::callerGates(llvm::StringRef UsrRef,
                                                         unsigned Depth) {
  static const std::set<std::string> None;
  std::string Usr = UsrRef.str();
  auto Cached = CallerGates.find(Usr);
  if (Cached != CallerGates.end())
    return Cached->second;
  const LockFn *F = function(Usr);
  auto It = Callers.find(Usr);
  // A thread entry or main also runs with nothing held; so does a function
  // nobody is known to call.
  if ((F && F->Fn->IsMain) || Entries.count(Usr) || It == Callers.end() ||
      Depth > 6)
    return None;
  CallerGates[Usr] = {}; // recursion: nothing proven
  std::optional<std::set<std::string>> Common;
  for (const auto &[Caller, Call] : It->second) {
    std::set<std::string> Held = callerGates(Caller->Fn->Usr, Depth + 1);
    for (const HeldLockFact &H : Call->Must) {
      LinkLock L = lock(*Caller, H.Lock);
      llvm::StringRef Key = L.Key;
      if (!H.Shared && (Key.starts_with("g:") ||
                        (Key.starts_with("f:") &&
                         llvm::StringRef(L.Base).starts_with("g:"))))
        Held.insert(L.key());
    }
    if (!Common) {
      Common = std::move(Held);
      continue;
    }
    std::set<std::string> Next;
    for (const std::string &G : Held)
      if (Common->count(G))
        Next.insert(G);
    Common = std::move(Next);
  }
  return CallerGates[Usr] = Common.value_or(std::set<std::string>());
}

} // namespace snag
