//===- Locks.cpp - The lock API table, lock identity and held-set dataflow ===//
#include "model/Locks.h"
#include "check/Analyses.h"
#include "model/CondVars.h"
#include "model/FunctionCFG.h"
#include "model/LockSummaries.h"
#include "model/UserCodeVisitor.h"
#include "model/Usr.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <set>

using namespace clang;

namespace snag {

//===----------------------------------------------------------------------===//
// Tables
//===----------------------------------------------------------------------===//

LockId atomicSectionLock() {
  LockId L;
  L.Key = "g:snag:atomic-section";
  L.Name = "the atomic section";
  L.Kind = LockKind::Mutex;
  return L;
}

bool runsAtomically(const clang::FunctionDecl *FD) {
  return FD->getIdentifier() && FD->getName().starts_with("__VERIFIER_atomic_") &&
         FD->getName() != "__VERIFIER_atomic_begin" &&
         FD->getName() != "__VERIFIER_atomic_end";
}

namespace {

std::vector<LockAPI> buildBuiltinAPIs() {
  std::vector<LockAPI> T;
  auto Add = [&](std::string Name, LockOp Op, int Arg = ObjectArg,
                 TrySuccess S = TrySuccess::True, bool OnGuard = false) {
    LockAPI A;
    A.Name = std::move(Name);
    A.Op = Op;
    A.LockArg = Arg;
    A.Success = S;
    A.OnGuard = OnGuard;
    T.push_back(std::move(A));
  };
  // The standard mutexes: every member that takes or releases the lock.
  for (const char *Class :
       {"std::mutex", "std::timed_mutex", "std::recursive_mutex",
        "std::recursive_timed_mutex", "std::shared_mutex",
        "std::shared_timed_mutex"}) {
    std::string C = Class;
    Add(C + "::lock", LockOp::Acquire);
    Add(C + "::try_lock", LockOp::TryAcquire);
    Add(C + "::try_lock_for", LockOp::TryAcquire);
    Add(C + "::try_lock_until", LockOp::TryAcquire);
    Add(C + "::unlock", LockOp::Release);
    Add(C + "::lock_shared", LockOp::AcquireShared);
    Add(C + "::try_lock_shared", LockOp::TryAcquireShared);
    Add(C + "::try_lock_shared_for", LockOp::TryAcquireShared);
    Add(C + "::try_lock_shared_until", LockOp::TryAcquireShared);
    Add(C + "::unlock_shared", LockOp::Release);
  }
  // Guards' own members act on the lock the guard manages.
  for (const char *Guard : {"std::unique_lock", "std::shared_lock"}) {
    std::string G = Guard;
    bool Shared = G == "std::shared_lock";
    Add(G + "::lock", Shared ? LockOp::AcquireShared : LockOp::Acquire,
        ObjectArg, TrySuccess::True, true);
    for (const char *Try : {"::try_lock", "::try_lock_for", "::try_lock_until"})
      Add(G + Try, Shared ? LockOp::TryAcquireShared : LockOp::TryAcquire,
          ObjectArg, TrySuccess::True, true);
    Add(G + "::unlock", LockOp::Release, ObjectArg, TrySuccess::True, true);
    Add(G + "::release", LockOp::Disown, ObjectArg, TrySuccess::True, true);
  }
  Add("std::lock", LockOp::Acquire, AllArgs);
  Add("std::try_lock", LockOp::TryAcquire, AllArgs, TrySuccess::MinusOne);
  // POSIX.
  Add("pthread_mutex_lock", LockOp::Acquire, 0);
  Add("pthread_mutex_trylock", LockOp::TryAcquire, 0, TrySuccess::Zero);
  Add("pthread_mutex_timedlock", LockOp::TryAcquire, 0, TrySuccess::Zero);
  Add("pthread_mutex_clocklock", LockOp::TryAcquire, 0, TrySuccess::Zero);
  Add("pthread_mutex_unlock", LockOp::Release, 0);
  Add("pthread_rwlock_rdlock", LockOp::AcquireShared, 0);
  Add("pthread_rwlock_tryrdlock", LockOp::TryAcquireShared, 0, TrySuccess::Zero);
  Add("pthread_rwlock_timedrdlock", LockOp::TryAcquireShared, 0, TrySuccess::Zero);
  Add("pthread_rwlock_clockrdlock", LockOp::TryAcquireShared, 0, TrySuccess::Zero);
  Add("pthread_rwlock_wrlock", LockOp::Acquire, 0);
  Add("pthread_rwlock_trywrlock", LockOp::TryAcquire, 0, TrySuccess::Zero);
  Add("pthread_rwlock_timedwrlock", LockOp::TryAcquire, 0, TrySuccess::Zero);
  Add("pthread_rwlock_clockwrlock", LockOp::TryAcquire, 0, TrySuccess::Zero);
  Add("pthread_rwlock_unlock", LockOp::Release, 0);
  Add("pthread_spin_lock", LockOp::Acquire, 0);
  Add("pthread_spin_trylock", LockOp::TryAcquire, 0, TrySuccess::Zero);
  Add("pthread_spin_unlock", LockOp::Release, 0);
  // C11 <threads.h>: thrd_success is 0.
  Add("mtx_lock", LockOp::Acquire, 0);
  Add("mtx_trylock", LockOp::TryAcquire, 0, TrySuccess::Zero);
  Add("mtx_timedlock", LockOp::TryAcquire, 0, TrySuccess::Zero);
  Add("mtx_unlock", LockOp::Release, 0);
  // Verification harnesses' atomic sections (SV-COMP's convention): one
  // lock of the whole program, named by no argument.
  for (auto [Name, Op] : {std::pair{"__VERIFIER_atomic_begin", LockOp::Acquire},
                          std::pair{"__VERIFIER_atomic_end", LockOp::Release}}) {
    Add(Name, Op, NoLockArg);
    T.back().CalleeLocks.push_back(atomicSectionLock());
  }
  return T;
}

const GuardAPI GuardTable[] = {
    // Name                Shared  AllArgs Movable
    {"std::lock_guard", false, false, false},
    {"std::scoped_lock", false, true, false},
    {"std::unique_lock", false, false, true},
    {"std::shared_lock", true, false, true},
};

struct KindRow {
  const char *Type;
  LockKind Kind;
};
const KindRow KindTable[] = {
    {"std::mutex", LockKind::Mutex},
    {"std::timed_mutex", LockKind::Mutex},
    {"std::recursive_mutex", LockKind::Recursive},
    {"std::recursive_timed_mutex", LockKind::Recursive},
    {"std::shared_mutex", LockKind::Shared},
    {"std::shared_timed_mutex", LockKind::Shared},
    {"pthread_mutex_t", LockKind::Mutex},
    {"pthread_rwlock_t", LockKind::Shared},
    {"pthread_spinlock_t", LockKind::Spin},
    {"mtx_t", LockKind::Mutex},
};

enum class GuardTag { None, Defer, TryToLock, Adopt };

GuardTag tagOf(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return GuardTag::None;
  std::string N = tableName(RD);
  if (N == "std::defer_lock_t")
    return GuardTag::Defer;
  if (N == "std::try_to_lock_t")
    return GuardTag::TryToLock;
  if (N == "std::adopt_lock_t")
    return GuardTag::Adopt;
  return GuardTag::None;
}

} // namespace

llvm::ArrayRef<LockAPI> lockAPIs() {
  static const std::vector<LockAPI> Table = buildBuiltinAPIs();
  return Table;
}

llvm::ArrayRef<GuardAPI> guardAPIs() { return GuardTable; }

std::string tableName(const NamedDecl *D) {
  llvm::SmallVector<StringRef, 4> Parts;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getName());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (RD->getIdentifier())
        Parts.push_back(RD->getName());
    } else if (isa<LinkageSpecDecl>(DC) || isa<TranslationUnitDecl>(DC)) {
      continue;
    } else if (const auto *ND = dyn_cast<NamedDecl>(DC)) {
      Parts.push_back(ND->getName());
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    Out += *It;
    Out += "::";
  }
  if (const IdentifierInfo *II = D->getIdentifier())
    Out += II->getName();
  else
    Out += D->getNameAsString();
  return Out;
}

LockKind lockKindOf(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  // Typedef names first: pthread_mutex_t is a typedef of an anonymous union.
  for (QualType Cur = T; !Cur.isNull();) {
    if (const auto *TT = Cur->getAs<TypedefType>()) {
      StringRef N = TT->getDecl()->getName();
      for (const KindRow &R : KindTable)
        if (N == R.Type)
          return R.Kind;
      Cur = TT->getDecl()->getUnderlyingType();
      continue;
    }
    break;
  }
  if (const auto *RD = T->getAsCXXRecordDecl()) {
    std::string N = tableName(RD);
    for (const KindRow &R : KindTable)
      if (N == R.Type)
        return R.Kind;
  }
  return LockKind::Unknown;
}

//===----------------------------------------------------------------------===//
// Lock identity
//===----------------------------------------------------------------------===//

static bool isKnownObject(StringRef Base) { return Base.starts_with("g:"); }

bool LockId::mayAlias(const LockId &O) const {
  if (Key != O.Key)
    return false;
  if (Base == O.Base)
    return true;
  // Two distinct known globals (`a.m`, `b.m`) are distinct locks; anything
  // reached through `this`, a parameter or a pointer may be either.
  return !(isKnownObject(Base) && isKnownObject(O.Base));
}

static std::string spelling(const Expr *E, const ASTContext &AST) {
  const SourceManager &SM = AST.getSourceManager();
  CharSourceRange R = CharSourceRange::getTokenRange(E->getSourceRange());
  StringRef Text = Lexer::getSourceText(R, SM, AST.getLangOpts());
  if (Text.empty() && E->getExprLoc().isMacroID()) {
    R = SM.getExpansionRange(E->getSourceRange());
    Text = Lexer::getSourceText(R, SM, AST.getLangOpts());
  }
  return Text.str();
}

static const Expr *stripToObject(const Expr *E) {
  while (true) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref) {
        E = UO->getSubExpr();
        continue;
      }
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      // std::ref(m), std::addressof(m), std::move(m) name their argument.
      if (const auto *FD = CE->getDirectCallee()) {
        std::string N = tableName(FD);
        if (CE->getNumArgs() == 1 &&
            (N == "std::ref" || N == "std::addressof" || N == "std::move" ||
             N == "std::forward" || N == "std::__addressof")) {
          E = CE->getArg(0);
          continue;
        }
      }
    }
    if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MT->getSubExpr();
      continue;
    }
    // `(pthread_mutex_t *)arg` names what arg points to.
    if (const auto *EC = dyn_cast<ExplicitCastExpr>(E);
        EC && EC->getType()->isPointerType()) {
      E = EC->getSubExpr();
      continue;
    }
    return E;
  }
}

LockId lockIdOf(const Expr *E, const ASTContext &AST) {
  LockId Id;
  if (!E)
    return Id;
  const Expr *Obj = stripToObject(E);
  Id.Kind = lockKindOf(Obj->getType());
  Id.Name = spelling(Obj, AST);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Obj)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return Id;
    if (Id.Name.empty())
      Id.Name = VD->getName().str();
    if (VD->hasGlobalStorage()) {
      Id.Key = "g:" + usrOf(VD);
      // PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP and the like.
      const VarDecl *Def = VD->getDefinition() ? VD->getDefinition() : VD;
      if (Id.Kind == LockKind::Mutex && Def->getInit() &&
          StringRef(spelling(Def->getInit(), AST)).contains("RECURSIVE"))
        Id.Kind = LockKind::Recursive;
      return Id;
    }
    // A local reference bound to a lock names that lock; so does a local
    // pointer set to its address (`pthread_mutex_t *m = &locks[i];`).
    bool PointsToInit =
        VD->getType()->isPointerType() && VD->hasLocalStorage() && VD->getInit() &&
        isa<UnaryOperator>(VD->getInit()->IgnoreParenCasts()) &&
        cast<UnaryOperator>(VD->getInit()->IgnoreParenCasts())->getOpcode() == UO_AddrOf;
    if ((VD->getType()->isReferenceType() || PointsToInit) && VD->getInit() &&
        !isa<ParmVarDecl>(VD)) {
      LockId Target = lockIdOf(VD->getInit(), AST);
      if (Target.valid()) {
        if (!PointsToInit)
          Target.Name = Id.Name;
        return Target;
      }
    }
    Id.Key = (isa<ParmVarDecl>(VD) ? "p:" : "l:") + usrOf(VD);
    return Id;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(Obj)) {
    const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl());
    if (VD && VD->hasGlobalStorage()) { // a static member
      Id.Key = "g:" + usrOf(VD);
      return Id;
    }
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD)
      return Id;
    Id.Key = "f:" + tableName(FD);
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Base)) {
      Id.Base = "this";
    } else {
      LockId B = lockIdOf(Base, AST);
      Id.Base = B.valid() ? B.key() : "?:" + spelling(Base, AST);
    }
    return Id;
  }
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(Obj)) {
    // m[3] and m[4] are two locks; m[i] may be any element ("[]").
    LockId B = lockIdOf(ASE->getBase(), AST);
    if (B.valid()) {
      std::optional<llvm::APSInt> K = ASE->getIdx()->getIntegerConstantExpr(AST);
      B.Key += K ? "[" + std::to_string(K->getExtValue()) + "]" : "[]";
      B.Name = Id.Name;
      B.Kind = Id.Kind;
      return B;
    }
  }
  if (!Id.Name.empty())
    Id.Key = "?:" + Id.Name;
  return Id;
}

//===----------------------------------------------------------------------===//
// Lock sets
//===----------------------------------------------------------------------===//

static bool keyLess(const HeldLock &H, const std::string &K) {
  return H.Lock.key() < K;
}

const HeldLock *LockSet::find(const LockId &L) const {
  std::string K = L.key();
  auto It = std::lower_bound(Locks.begin(), Locks.end(), K, keyLess);
  return It != Locks.end() && It->Lock.key() == K ? &*It : nullptr;
}

const HeldLock *LockSet::findAlias(const LockId &L) const {
  if (const HeldLock *H = find(L))
    return H;
  for (const HeldLock &H : Locks)
    if (H.Lock.mayAlias(L))
      return &H;
  return nullptr;
}

HeldLock &LockSet::insert(HeldLock H) {
  std::string K = H.Lock.key();
  auto It = std::lower_bound(Locks.begin(), Locks.end(), K, keyLess);
  if (It != Locks.end() && It->Lock.key() == K) {
    It->Count += H.Count;
    if (H.Guard) {
      It->Guard = H.Guard;
      It->Guarded = true;
    }
    return *It;
  }
  return *Locks.insert(It, std::move(H));
}

bool LockSet::erase(const LockId &L) {
  std::string K = L.key();
  auto It = std::lower_bound(Locks.begin(), Locks.end(), K, keyLess);
  if (It == Locks.end() || It->Lock.key() != K)
    return false;
  if (It->Count > 1)
    --It->Count;
  else
    Locks.erase(It);
  return true;
}

LockSet LockSet::intersect(const LockSet &A, const LockSet &B) {
  LockSet Out;
  for (const HeldLock &H : A.Locks)
    if (const HeldLock *O = B.find(H.Lock)) {
      HeldLock N = H;
      N.Count = std::min(H.Count, O->Count);
      N.Shared = H.Shared || O->Shared;
      N.Guarded = H.Guarded && O->Guarded;
      if (H.Guard != O->Guard)
        N.Guard = nullptr;
      Out.Locks.push_back(std::move(N));
    }
  return Out;
}

LockSet LockSet::unite(const LockSet &A, const LockSet &B) {
  LockSet Out = A;
  for (const HeldLock &H : B.Locks) {
    std::string K = H.Lock.key();
    auto It = std::lower_bound(Out.Locks.begin(), Out.Locks.end(), K, keyLess);
    if (It != Out.Locks.end() && It->Lock.key() == K) {
      It->Count = std::max(It->Count, H.Count);
      It->Guarded = It->Guarded && H.Guarded;
      continue;
    }
    Out.Locks.insert(It, H);
  }
  return Out;
}

bool LockSet::operator==(const LockSet &O) const {
  if (Locks.size() != O.Locks.size())
    return false;
  for (size_t I = 0; I < Locks.size(); ++I) {
    const HeldLock &A = Locks[I], &B = O.Locks[I];
    if (A.Lock.key() != B.Lock.key() || A.Count != B.Count ||
        A.Shared != B.Shared || A.Guarded != B.Guarded || A.Guard != B.Guard)
      return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The dataflow
//===----------------------------------------------------------------------===//

const HeldState *FunctionLocks::heldAt(const Stmt *S) const {
  auto It = StateOf.find(S);
  return It == StateOf.end() ? nullptr : &States[It->second];
}

namespace {

/// Uniform view of a call's object and arguments (member operator calls
/// carry the object as argument 0).
struct CallView {
  const Expr *Object = nullptr;
  llvm::SmallVector<const Expr *, 4> Args;
};

CallView viewOf(const CallExpr *CE) {
  CallView V;
  unsigned First = 0;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
    V.Object = MC->getImplicitObjectArgument();
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE)) {
    if (isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()) && OC->getNumArgs()) {
      V.Object = OC->getArg(0);
      First = 1;
    }
  }
  for (unsigned I = First; I < CE->getNumArgs(); ++I)
    if (!isa<CXXDefaultArgExpr>(CE->getArg(I)))
      V.Args.push_back(CE->getArg(I));
  return V;
}

/// The guard variable an expression names (`lk`, `std::move(lk)`), if any.
const VarDecl *guardVarOf(const Expr *E, const LockModel &M) {
  if (!E)
    return nullptr;
  const Expr *Obj = stripToObject(E);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Obj))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (M.guardFor(VD->getType()))
        return VD;
  return nullptr;
}

struct FlowState {
  bool Reached = false;
  HeldState H;
  /// In a walk split by a witness: its value on the paths here (states
  /// with different values are never joined).
  uint8_t W = WitnessValue::Unset;
  /// The local whose value the witness holds (`out->item = it`), while
  /// the local keeps it: a branch on that local says what the witness is.
  const VarDecl *WFrom = nullptr;

  bool operator==(const FlowState &O) const {
    return Reached == O.Reached && W == O.W && WFrom == O.WFrom &&
           H.Must == O.H.Must && H.May == O.H.May;
  }
};

FlowState join(const FlowState &A, const FlowState &B) {
  if (!A.Reached)
    return B;
  if (!B.Reached)
    return A;
  FlowState Out;
  Out.Reached = true;
  Out.W = A.W;
  Out.WFrom = A.WFrom == B.WFrom ? A.WFrom : nullptr;
  Out.H.Must = LockSet::intersect(A.H.Must, B.H.Must);
  Out.H.May = LockSet::unite(A.H.May, B.H.May);
  return Out;
}

} // namespace

/// What a branch condition says about a try-lock: the call (or guard)
/// and whether the condition's truth means success.
struct TryCond {
  const CallExpr *Call = nullptr;   // a try-lock call
  const VarDecl *Guard = nullptr;   // `if (lk)` / `lk.owns_lock()`
  bool TrueMeansHeld = true;
};

std::optional<TryCond> tryCondOf(const LockModel &M, const Expr *C,
                                 const FunctionDecl *FD = nullptr) {
  ASTContext &AST = M.ast();
  bool Negated = false;
  std::optional<long> Compared; // `X == K` / `X != K`
  bool Equal = true;
  while (true) {
    C = C->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(C); UO && UO->getOpcode() == UO_LNot) {
      Negated = !Negated;
      C = UO->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(C);
        BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) && !Compared) {
      const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
      const Expr *R = BO->getRHS()->IgnoreParenImpCasts();
      // An integer constant, or a null pointer (`x == NULL`).
      auto Constant = [&](const Expr *E) -> std::optional<llvm::APSInt> {
        if (std::optional<llvm::APSInt> V = E->getIntegerConstantExpr(AST))
          return V;
        if (E->getType()->isPointerType() &&
            E->isNullPointerConstant(AST, Expr::NPC_ValueDependentIsNotNull))
          return llvm::APSInt::get(0);
        return std::nullopt;
      };
      std::optional<llvm::APSInt> V = Constant(R);
      const Expr *Other = L;
      if (!V) {
        V = Constant(L);
        Other = R;
      }
      if (!V)
        return std::nullopt;
      Compared = V->getExtValue();
      Equal = BO->getOpcode() == BO_EQ;
      C = Other;
      continue;
    }
    // `(held = try_wrapper(...)) == NULL`: the assigned value.
    if (const auto *BO = dyn_cast<BinaryOperator>(C); BO && BO->getOpcode() == BO_Assign) {
      C = BO->getRHS();
      continue;
    }
    break;
  }
  TryCond T;
  bool SuccessWhenTrue = true; // the condition, as written, is true on success
  // For a result whose non-zero value means success.
  auto NonZeroIsSuccess = [&] {
    return Compared ? ((*Compared != 0) == Equal) : true;
  };
  // `info.it == NULL` after `lru_pull(..., &info)`: what a try told its
  // caller through an out-parameter.
  const auto *CE = dyn_cast<CallExpr>(C);
  bool Told = false;
  if (!CE && FD && !(isa<DeclRefExpr>(C) && M.handleOf(dyn_cast<VarDecl>(
                                                cast<DeclRefExpr>(C)->getDecl()))))
    Told = (CE = M.witnessCallOf(C, FD)) != nullptr;
  if (CE) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE); MC && !Told) {
      const auto *MD = MC->getMethodDecl();
      if (MD && (isa<CXXConversionDecl>(MD) || MD->getName() == "owns_lock")) {
        if (const VarDecl *G = guardVarOf(MC->getImplicitObjectArgument(), M)) {
          T.Guard = G;
          SuccessWhenTrue = NonZeroIsSuccess();
          T.TrueMeansHeld = SuccessWhenTrue != Negated;
          return T;
        }
      }
    }
    const LockAPI *API = M.apiFor(CE);
    if (!API || (API->Op != LockOp::TryAcquire && API->Op != LockOp::TryAcquireShared))
      return std::nullopt;
    // A try that tells through an out-parameter says nothing by its result.
    if (Told != (API->WitnessArg >= 0))
      return std::nullopt;
    T.Call = CE;
    long SuccessValue;
    switch (API->Success) {
    case TrySuccess::True:
    case TrySuccess::NonNull:
      SuccessWhenTrue = NonZeroIsSuccess();
      break;
    case TrySuccess::Zero:
    case TrySuccess::MinusOne:
      SuccessValue = API->Success == TrySuccess::Zero ? 0 : -1;
      if (Compared) {
        if (*Compared != SuccessValue && API->Success == TrySuccess::MinusOne)
          return std::nullopt; // compared with something else
        SuccessWhenTrue = (*Compared == SuccessValue) == Equal;
      } else {
        if (API->Success == TrySuccess::MinusOne)
          return std::nullopt;
        SuccessWhenTrue = false; // `if (trylock(&m))` is true on failure
      }
      break;
    }
    T.TrueMeansHeld = SuccessWhenTrue != Negated;
    return T;
  }
  // `if (held)` / `held == NULL` on what a try returned (LockModel::handleOf).
  if (const auto *DRE = dyn_cast<DeclRefExpr>(C))
    if (std::optional<LockModel::Handle> H =
            M.handleOf(dyn_cast<VarDecl>(DRE->getDecl()))) {
      T.Call = H->Call;
      SuccessWhenTrue = NonZeroIsSuccess();
      T.TrueMeansHeld = SuccessWhenTrue != Negated;
      return T;
    }
  return std::nullopt;
}


static const ParmVarDecl *paramOf(const Expr *E);

/// What an expression written to a witness says: null or zero, another
/// constant or an address, or a value snag cannot tell.
static WitnessValue witnessValueOf(const Expr *E, const ASTContext &AST) {
  if (!E)
    return WitnessValue::Unknown;
  E = E->IgnoreParenCasts();
  if (E->isValueDependent())
    return WitnessValue::Unknown;
  if (E->isNullPointerConstant(const_cast<ASTContext &>(AST),
                               Expr::NPC_ValueDependentIsNotNull))
    return WitnessValue::Zero;
  if (std::optional<llvm::APSInt> V = E->getIntegerConstantExpr(AST))
    return V->isZero() ? WitnessValue::Zero : WitnessValue::NonZero;
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    return WitnessValue::NonZero;
  return WitnessValue::Unknown;
}

/// Runs the held-set dataflow of one function and fills a FunctionLocks.
class LockDataflow {
public:
  LockDataflow(LockModel &M, FunctionLocks &Out) : M(M), AST(M.ast()), Out(Out) {}

  void run() {
    const CFG &G = *Out.Graph;
    bindGuards(G);
    PostOrderCFGView PO(&G);
    // A walk split by a witness keeps one state per block and value.
    const unsigned NP = Out.Witness ? 4 : 1;
    std::vector<FlowState> In(G.getNumBlockIDs() * NP);
    auto Slot = [&](const CFGBlock *B, uint8_t W) -> FlowState & {
      return In[B->getBlockID() * NP + (NP == 1 ? 0 : W)];
    };
    FlowState &Entry = Slot(&G.getEntry(), WitnessValue::Unset);
    Entry.Reached = true;
    // A function of a verification harness that runs atomically
    // (`__VERIFIER_atomic_inc`) holds the atomic section throughout.
    if (Out.function() && runsAtomically(Out.function())) {
      HeldLock H;
      H.Lock = atomicSectionLock();
      Entry.H.Must.insert(H);
      Entry.H.May.insert(H);
    }
    // Iterate to a fixed point in reverse post-order. Lock sets only shrink
    // (Must) or grow (May) along back edges, and are bounded by the locks
    // the function names, so this ends quickly.
    bool Changed = true;
    unsigned Rounds = 0;
    while (Changed && Rounds++ < 50) {
      Changed = false;
      for (const CFGBlock *B : PO)
        for (unsigned P = 0; P < NP; ++P) {
          FlowState S = Slot(B, P);
          if (!S.Reached)
            continue;
          transferBlock(*B, S, /*Record=*/false);
          forEachEdge(*B, S, [&](const CFGBlock *Succ, const FlowState &E,
                                 bool) {
            FlowState &To = Slot(Succ, E.W);
            FlowState N = join(To, E);
            if (!(N == To)) {
              To = std::move(N);
              Changed = true;
            }
          });
        }
    }
    // Final pass: record events, states and exits.
    for (const CFGBlock *B : PO)
      for (unsigned P = 0; P < NP; ++P) {
        FlowState S = Slot(B, P);
        if (!S.Reached)
          continue;
        transferBlock(*B, S, /*Record=*/true);
        forEachEdge(*B, S, [&](const CFGBlock *Succ, const FlowState &E,
                               bool Exceptional) {
          if (Succ == &G.getExit())
            recordExit(*B, E, Exceptional);
        });
      }
  }

private:
  LockModel &M;
  ASTContext &AST;
  FunctionLocks &Out;
  /// Which locks each guard variable manages (flow-insensitive: a guard is
  /// bound once, at its construction or by a move).
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<LockId, 2>> GuardLocks;
  bool Recording = false;

  static const CXXConstructExpr *constructOf(const Expr *Init) {
    if (!Init)
      return nullptr;
    const Expr *E = Init->IgnoreImplicit();
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
      E = FC->getSubExpr()->IgnoreImplicit();
    return dyn_cast<CXXConstructExpr>(E);
  }

  void bindGuards(const CFG &G) {
    // Two rounds, so that a guard moved from a guard declared later in the
    // CFG order still finds its source.
    for (int Round = 0; Round < 2; ++Round)
      for (const CFGBlock *B : G)
        for (const CFGElement &El : *B)
          if (auto S = El.getAs<CFGStmt>())
            if (const auto *DS = dyn_cast<DeclStmt>(S->getStmt()))
              for (const Decl *D : DS->decls())
                if (const auto *VD = dyn_cast<VarDecl>(D))
                  bindGuard(VD);
  }

  void bindGuard(const VarDecl *VD) {
    const GuardAPI *GA = M.guardFor(VD->getType());
    if (!GA)
      return;
    const CXXConstructExpr *CE = constructOf(VD->getInit());
    if (!CE)
      return;
    llvm::SmallVector<LockId, 2> Locks;
    for (const Expr *Arg : CE->arguments()) {
      if (isa<CXXDefaultArgExpr>(Arg) || tagOf(Arg->getType()) != GuardTag::None)
        continue;
      if (const VarDecl *Src = guardVarOf(Arg, M)) {
        auto It = GuardLocks.find(Src);
        if (It != GuardLocks.end())
          Locks.append(It->second.begin(), It->second.end());
        continue;
      }
      LockId L = M.lockIdOf(Arg);
      if (L.valid())
        Locks.push_back(std::move(L));
      if (!GA->AllArgs)
        break;
    }
    if (!Locks.empty())
      GuardLocks[VD] = std::move(Locks);
  }

  llvm::ArrayRef<LockId> locksOfGuard(const VarDecl *G) const {
    auto It = GuardLocks.find(G);
    if (It == GuardLocks.end())
      return {};
    return It->second;
  }

  void record(const Stmt *S, const FlowState &St) {
    if (!Recording)
      return;
    if (Out.States.empty() || !(Out.States.back().Must == St.H.Must &&
                                Out.States.back().May == St.H.May))
      Out.States.push_back(St.H);
    Out.StateOf[S] = Out.States.size() - 1;
  }

  void event(LockOp Op, const LockId &L, const Stmt *Site, SourceLocation Loc,
             const LockAPI *API, const VarDecl *Guard, bool Implicit,
             const FlowState &St, bool HasPredicate = false) {
    if (!Recording)
      return;
    LockEvent E;
    E.Op = Op;
    E.Lock = L;
    E.Site = Site;
    E.Loc = Loc;
    E.API = API;
    E.Guard = Guard;
    E.Implicit = Implicit;
    E.WaitHasPredicate = HasPredicate;
    E.Before = St.H;
    Out.Events.push_back(std::move(E));
  }

  static void acquire(FlowState &St, const LockId &L, bool Shared,
                      const Stmt *At, const VarDecl *Guard, bool MayOnly) {
    HeldLock H;
    H.Lock = L;
    H.Shared = Shared;
    H.Guarded = Guard != nullptr;
    H.Guard = Guard;
    H.AcquiredAt = At;
    if (!MayOnly)
      St.H.Must.insert(H);
    St.H.May.insert(H);
  }

  static void release(FlowState &St, const LockId &L) {
    St.H.Must.erase(L);
    St.H.May.erase(L);
  }

  static void regard(LockSet &Set, const LockId &L, const VarDecl *Guard) {
    // Rebuild the entry with its new guard (the set is keyed by lock only).
    if (const HeldLock *H = Set.find(L)) {
      HeldLock N = *H;
      N.Guard = Guard;
      N.Guarded = Guard != nullptr;
      while (Set.erase(L)) {
      }
      Set.insert(N);
    }
  }

  void transferGuardDecl(const VarDecl *VD, const DeclStmt *DS, FlowState &St) {
    const GuardAPI *GA = M.guardFor(VD->getType());
    const CXXConstructExpr *CE = constructOf(VD->getInit());
    if (!GA || !CE)
      return;
    GuardTag Tag = GuardTag::None;
    const VarDecl *MovedFrom = nullptr;
    for (const Expr *Arg : CE->arguments()) {
      GuardTag T = tagOf(Arg->getType());
      if (T != GuardTag::None)
        Tag = T;
      else if (const VarDecl *Src = guardVarOf(Arg, M))
        MovedFrom = Src;
    }
    llvm::ArrayRef<LockId> Locks = locksOfGuard(VD);
    SourceLocation Loc = VD->getLocation();
    if (MovedFrom) {
      // Ownership moves: whatever the source held is now the new guard's.
      for (const LockId &L : Locks) {
        for (LockSet *Set : {&St.H.Must, &St.H.May})
          if (const HeldLock *H = Set->find(L); H && H->Guard == MovedFrom)
            regard(*Set, L, VD);
      }
      return;
    }
    for (const LockId &L : Locks) {
      switch (Tag) {
      case GuardTag::Defer:
        break;
      case GuardTag::Adopt:
        event(LockOp::Acquire, L, DS, Loc, nullptr, VD, false, St);
        if (!St.H.May.find(L))
          acquire(St, L, GA->Shared, DS, VD, false);
        regard(St.H.Must, L, VD);
        regard(St.H.May, L, VD);
        break;
      case GuardTag::TryToLock:
        event(GA->Shared ? LockOp::TryAcquireShared : LockOp::TryAcquire, L, DS,
              Loc, nullptr, VD, false, St);
        acquire(St, L, GA->Shared, DS, VD, /*MayOnly=*/true);
        break;
      case GuardTag::None:
        event(GA->Shared ? LockOp::AcquireShared : LockOp::Acquire, L, DS, Loc,
              nullptr, VD, false, St);
        acquire(St, L, GA->Shared, DS, VD, false);
        break;
      }
    }
  }

  void transferGuardDtor(const VarDecl *VD, const Stmt *TriggerStmt,
                         FlowState &St) {
    if (!M.guardFor(VD->getType()))
      return;
    SourceLocation Loc =
        TriggerStmt ? TriggerStmt->getEndLoc() : VD->getLocation();
    for (const LockId &L : locksOfGuard(VD)) {
      const HeldLock *H = St.H.May.find(L);
      if (!H || H->Guard != VD)
        continue;
      event(LockOp::Release, L, TriggerStmt, Loc, nullptr, VD, true, St);
      release(St, L);
    }
  }

  /// The locks a call names, and the guard it acts through.
  llvm::SmallVector<LockId, 2> locksOfCall(const CallExpr *CE,
                                           const LockAPI &API,
                                           const VarDecl *&Guard) {
    CallView V = viewOf(CE);
    llvm::SmallVector<const Expr *, 2> LockExprs;
    if (API.LockArg == ObjectArg) {
      if (V.Object)
        LockExprs.push_back(V.Object);
    } else if (API.LockArg == AllArgs) {
      LockExprs.append(V.Args.begin(), V.Args.end());
    } else if ((unsigned)API.LockArg < V.Args.size()) {
      LockExprs.push_back(V.Args[API.LockArg]);
    }
    llvm::SmallVector<LockId, 2> Locks;
    if (!API.CalleeLocks.empty()) {
      for (const LockId &L : API.CalleeLocks) {
        LockId Mapped = lockInCaller(L, CE, API.Wrapper, AST, &M);
        if (Mapped.valid())
          Locks.push_back(std::move(Mapped));
      }
      return Locks;
    }
    for (const Expr *E : LockExprs) {
      if (const VarDecl *G = guardVarOf(E, M)) {
        Guard = G;
        for (const LockId &L : locksOfGuard(G))
          Locks.push_back(L);
        continue;
      }
      LockId L = M.lockIdOf(E);
      if (L.valid())
        Locks.push_back(std::move(L));
    }
    return Locks;
  }

  void transferCall(const CallExpr *CE, FlowState &St) {
    const LockAPI *API = M.apiFor(CE);
    if (!API) {
      transferWait(CE, St);
      return;
    }
    const VarDecl *Guard = nullptr;
    llvm::SmallVector<LockId, 2> Locks = locksOfCall(CE, *API, Guard);
    if (API->OnGuard && !Guard)
      return; // a guard we cannot follow (a member, a parameter)
    SourceLocation Loc = CE->getExprLoc();
    for (const LockId &L : Locks) {
      event(API->Op, L, CE, Loc, API, Guard, false, St);
      switch (API->Op) {
      case LockOp::Acquire:
      case LockOp::AcquireShared:
        acquire(St, L, API->Op == LockOp::AcquireShared, CE, Guard, false);
        break;
      case LockOp::TryAcquire:
      case LockOp::TryAcquireShared:
        // Held on the success branch only (see refineEdge); until then,
        // possibly held. A try of a non-recursive lock this thread already
        // holds cannot succeed: it is not a second acquisition.
        if (const HeldLock *H = St.H.Must.find(L);
            H && L.Kind != LockKind::Recursive &&
            !(H->Shared && API->Op == LockOp::TryAcquireShared))
          break;
        acquire(St, L, API->Op == LockOp::TryAcquireShared, CE, Guard, true);
        break;
      case LockOp::Release:
        release(St, L);
        break;
      case LockOp::Disown:
        regard(St.H.Must, L, nullptr);
        regard(St.H.May, L, nullptr);
        break;
      case LockOp::Wait:
        break;
      }
    }
  }

  /// Condition-variable waits (the table is in CondVars.h) release the lock
  /// and take it again before returning: the held set is unchanged, but
  /// rules want the event.
  void transferWait(const CallExpr *CE, FlowState &St) {
    if (!Recording)
      return;
    CondVarWait W = matchCondVarWait(CE);
    if (!W || !W.Lock)
      return;
    const VarDecl *Guard = guardVarOf(W.Lock, M);
    llvm::SmallVector<LockId, 2> Locks;
    if (Guard)
      Locks.append(locksOfGuard(Guard).begin(), locksOfGuard(Guard).end());
    else if (LockId L = lockIdOf(W.Lock, AST); L.valid())
      Locks.push_back(L);
    for (const LockId &L : Locks)
      event(LockOp::Wait, L, CE, CE->getExprLoc(), nullptr, Guard, false, St,
            W.HasPredicate);
  }

  void transferElement(const CFGElement &El, FlowState &St) {
    if (auto S = El.getAs<CFGStmt>()) {
      const Stmt *Stm = S->getStmt();
      record(Stm, St);
      if (Out.Witness)
        noteWitness(Stm, St);
      if (const auto *CE = dyn_cast<CallExpr>(Stm))
        transferCall(CE, St);
      else if (const auto *DS = dyn_cast<DeclStmt>(Stm))
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            transferGuardDecl(VD, DS, St);
      return;
    }
    if (auto D = El.getAs<CFGAutomaticObjDtor>()) {
      transferGuardDtor(D->getVarDecl(), D->getTriggerStmt(), St);
      return;
    }
  }

  void transferBlock(const CFGBlock &B, FlowState &St, bool Record) {
    Recording = Record;
    bool Throws = isThrowingCallBlock(B);
    size_t N = B.size(), I = 0;
    for (const CFGElement &El : B) {
      if (Throws && ++I == N)
        BeforeThrow = St;
      transferElement(El, St);
    }
    Recording = false;
  }

  /// The state just before the throwing call that ends the last block
  /// transferred: a call that throws has not done what it does.
  FlowState BeforeThrow;

  std::optional<TryCond> tryCondOf(const Expr *C) {
    return snag::tryCondOf(M, C, Out.Function);
  }

  /// Whether \p LHS is the witness of the split walk.
  bool writesWitness(const Expr *LHS) const {
    const LockWitness &W = *Out.Witness;
    const Expr *L = LHS->IgnoreParenImpCasts();
    if (W.Param < 0) {
      const auto *DRE = dyn_cast<DeclRefExpr>(L);
      return W.Local && DRE && DRE->getDecl() == W.Local;
    }
    auto IsParam = [&](const Expr *E) {
      const ParmVarDecl *P = paramOf(E);
      return P && int(P->getFunctionScopeIndex()) == W.Param &&
             P->getDeclContext() == Out.Function;
    };
    auto Deref = [](const Expr *E) -> const Expr * {
      const auto *UO = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts());
      return UO && UO->getOpcode() == UO_Deref ? UO->getSubExpr() : nullptr;
    };
    if (W.Field.empty()) {
      const Expr *Ptr = Deref(L);
      return Ptr && IsParam(Ptr);
    }
    const auto *ME = dyn_cast<MemberExpr>(L);
    if (!ME || ME->getMemberDecl()->getName() != W.Field)
      return false;
    const Expr *Base = ME->getBase();
    if (!ME->isArrow())
      Base = Deref(Base);
    return Base && IsParam(Base);
  }

  /// The local \p E names, if any.
  static const VarDecl *localOf(const Expr *E) {
    const auto *DRE = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()) : nullptr;
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && VD->hasLocalStorage() ? VD : nullptr;
  }

  /// The witness is given \p V: what it says, and the local it came from.
  void setWitness(const Expr *V, FlowState &St) const {
    St.W = witnessValueOf(V, AST);
    St.WFrom = St.W == WitnessValue::Unknown ? localOf(V) : nullptr;
  }

  /// On a branch that tests the local the witness holds against null or
  /// zero (`if (it != NULL) break;`): what the witness is on that side.
  void refineWitness(const CFGBlock &B, bool TrueSide, FlowState &E) const {
    const auto *C = dyn_cast_or_null<Expr>(B.getTerminatorCondition());
    if (!C || B.succ_size() != 2)
      return;
    bool NonZeroWhenTrue = true;
    while (true) {
      C = C->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(C); UO && UO->getOpcode() == UO_LNot) {
        NonZeroWhenTrue = !NonZeroWhenTrue;
        C = UO->getSubExpr();
        continue;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(C); BO && BO->isEqualityOp()) {
        const Expr *Other = BO->getRHS();
        if (witnessValueOf(Other, AST) != WitnessValue::Zero) {
          Other = BO->getLHS();
          C = BO->getRHS();
        } else {
          C = BO->getLHS();
        }
        if (witnessValueOf(Other, AST) != WitnessValue::Zero)
          return;
        if (BO->getOpcode() == BO_EQ)
          NonZeroWhenTrue = !NonZeroWhenTrue;
        continue;
      }
      break;
    }
    if (localOf(C) != E.WFrom)
      return;
    E.W = TrueSide == NonZeroWhenTrue ? WitnessValue::NonZero : WitnessValue::Zero;
  }

  /// A split walk: what \p S tells the caller, on this path.
  void noteWitness(const Stmt *S, FlowState &St) const {
    const LockWitness &W = *Out.Witness;
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (!BO->isAssignmentOp())
        return;
      if (St.WFrom && localOf(BO->getLHS()) == St.WFrom)
        St.WFrom = nullptr; // the local changes; the witness does not
      if (writesWitness(BO->getLHS())) {
        if (BO->getOpcode() == BO_Assign)
          setWitness(BO->getRHS(), St);
        else
          St.W = WitnessValue::Unknown, St.WFrom = nullptr;
      }
      // The result's local is its own witness: branches on it tell.
      if (W.Local && St.W == WitnessValue::Unknown &&
          localOf(BO->getLHS()) == W.Local)
        St.WFrom = W.Local;
      return;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      if (!UO->isIncrementDecrementOp())
        return;
      if (St.WFrom && localOf(UO->getSubExpr()) == St.WFrom)
        St.WFrom = nullptr;
      if (writesWitness(UO->getSubExpr()))
        St.W = WitnessValue::Unknown, St.WFrom = nullptr;
      return;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (D == W.Local) {
          setWitness(W.Local->getInit(), St);
          if (St.W == WitnessValue::Unknown)
            St.WFrom = W.Local;
        }
      return;
    }
    if (const auto *RS = dyn_cast<ReturnStmt>(S); RS && W.Param < 0) {
      const Expr *V = RS->getRetValue();
      const auto *DRE = V ? dyn_cast<DeclRefExpr>(V->IgnoreParenCasts()) : nullptr;
      if (!W.Local || !DRE || DRE->getDecl() != W.Local)
        setWitness(V, St); // else: what the local holds
    }
  }

  /// Calls \p F for every successor edge with the state along it.
  template <typename Fn>
  void forEachEdge(const CFGBlock &B, const FlowState &St, Fn F) {
    const CFG &G = *Out.Graph;
    std::optional<TryCond> TC;
    if (B.succ_size() == 2 && B.getTerminatorStmt())
      if (const auto *C = dyn_cast_or_null<Expr>(B.getTerminatorCondition()))
        TC = tryCondOf(C);
    bool EHBlock = isThrowingCallBlock(B);
    llvm::SmallVector<bool, 4> Feasible = feasibleEdges(B);
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
      const CFGBlock *S = Succ.getReachableBlock();
      unsigned I = Index++;
      if (!S)
        continue;
      bool Exceptional = EHBlock && I > 0;
      if (Exceptional && isLockCall(B))
        continue; // lock APIs report failure by aborting, not by throwing
      if (!Feasible.empty() && !Feasible[I])
        continue; // a path the constant argument rules out
      FlowState E = Exceptional ? BeforeThrow : St;
      if (Out.Witness && E.WFrom && !Exceptional)
        refineWitness(B, I == 0, E);
      if (TC) {
        bool Held = (I == 0) == TC->TrueMeansHeld;
        refineTry(*TC, Held, E);
      }
      if (Exceptional && S == &G.getExit()) {
        // Unwinding out of the function runs every guard's destructor.
        for (LockSet *Set : {&E.H.Must, &E.H.May}) {
          LockSet Kept;
          for (const HeldLock &H : Set->locks())
            if (!H.Guarded)
              Kept.insert(H);
          *Set = std::move(Kept);
        }
      }
      F(S, E, Exceptional);
    }
  }

  /// Which successors of \p B the bound parameter leaves possible: for a
  /// `switch` on it, the cases its value selects (or the default); for a
  /// two-way branch whose condition it decides, that side. Empty when
  /// every successor is.
  llvm::SmallVector<bool, 4> feasibleEdges(const CFGBlock &B) const {
    llvm::SmallVector<bool, 4> Edges;
    if (!Out.Binding || !B.getTerminatorStmt())
      return Edges;
    const FunctionDecl *FD = Out.Function;
    if (const auto *SW = dyn_cast<SwitchStmt>(B.getTerminatorStmt())) {
      std::optional<int64_t> V = M.valueUnder(SW->getCond(), FD, *Out.Binding);
      if (!V)
        return Edges;
      auto Matches = [&](const CaseStmt *CS) {
        std::optional<llvm::APSInt> Lo = CS->getLHS()->getIntegerConstantExpr(AST);
        if (!Lo)
          return true; // cannot tell: keep it
        std::optional<llvm::APSInt> Hi =
            CS->getRHS() ? CS->getRHS()->getIntegerConstantExpr(AST) : Lo;
        return Hi && Lo->getExtValue() <= *V && *V <= Hi->getExtValue();
      };
      bool Matched = false;
      for (const SwitchCase *SC = SW->getSwitchCaseList(); SC;
           SC = SC->getNextSwitchCase())
        if (const auto *CS = dyn_cast<CaseStmt>(SC))
          Matched |= Matches(CS);
      for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
        const CFGBlock *S = Succ.getReachableBlock()
                                ? Succ.getReachableBlock()
                                : Succ.getPossiblyUnreachableBlock();
        const auto *CS = S ? dyn_cast_or_null<CaseStmt>(S->getLabel()) : nullptr;
        Edges.push_back(CS ? Matches(CS) : !Matched); // default, or past the end
      }
      return Edges;
    }
    if (B.succ_size() != 2)
      return Edges;
    const auto *C = dyn_cast_or_null<Expr>(B.getTerminatorCondition());
    std::optional<int64_t> V = C ? M.valueUnder(C, FD, *Out.Binding) : std::nullopt;
    if (!V)
      return Edges;
    Edges = {*V != 0, *V == 0}; // the first successor is the true branch
    return Edges;
  }

  /// A block ended by a call that may throw: its extra successor is the
  /// exception edge (to a handler, or out of the function).
  static bool isThrowingCallBlock(const CFGBlock &B) {
    if (B.getTerminatorStmt() || B.succ_size() < 2 || B.empty())
      return false;
    if (auto S = B.back().getAs<CFGStmt>())
      return isa<CallExpr>(S->getStmt()) || isa<CXXConstructExpr>(S->getStmt());
    return false;
  }

  bool isLockCall(const CFGBlock &B) const {
    if (auto S = B.back().getAs<CFGStmt>())
      if (const auto *CE = dyn_cast<CallExpr>(S->getStmt()))
        return M.apiFor(CE) || matchCondVarWait(CE);
    return false;
  }

  void refineTry(const TryCond &TC, bool Held, FlowState &E) {
    llvm::SmallVector<LockId, 2> Locks;
    const VarDecl *Guard = TC.Guard;
    if (TC.Call) {
      const LockAPI *API = M.apiFor(TC.Call);
      Locks = locksOfCall(TC.Call, *API, Guard);
    } else {
      for (const LockId &L : locksOfGuard(TC.Guard))
        Locks.push_back(L);
    }
    for (const LockId &L : Locks) {
      const HeldLock *May = E.H.May.find(L);
      if (!May)
        continue;
      if (Held) {
        if (!E.H.Must.find(L))
          E.H.Must.insert(*May);
      } else if (!E.H.Must.find(L)) {
        E.H.May.erase(L);
      }
    }
  }

  void recordExit(const CFGBlock &B, const FlowState &E, bool Exceptional) {
    // A failed assert(), abort() or exit() ends the process: no caller ever
    // sees the locks held there.
    if (B.hasNoReturnElement())
      return;
    LockExit X;
    X.Held = E.H;
    X.Exceptional = Exceptional;
    X.Witness = E.W;
    for (auto It = B.rbegin(); It != B.rend(); ++It)
      if (auto S = It->getAs<CFGStmt>()) {
        if (isa<ReturnStmt>(S->getStmt()) || !X.Site)
          X.Site = S->getStmt();
        if (isa<ReturnStmt>(S->getStmt()))
          break;
      }
    if (X.Site && (isa<ReturnStmt>(X.Site) || X.Exceptional))
      X.Loc = X.Site->getBeginLoc();
    else if (const Stmt *Body = Out.Function->getBody())
      X.Loc = Body->getEndLoc();
    for (const LockExit &Old : Out.Exits)
      if (Old.Loc == X.Loc && Old.Exceptional == X.Exceptional &&
          Old.Witness == X.Witness && Old.Held.Must == X.Held.Must && Old.Held.May == X.Held.May)
        return;
    Out.Exits.push_back(std::move(X));
  }
};

//===----------------------------------------------------------------------===//
// The model
//===----------------------------------------------------------------------===//

/// The mutexes of the TU initialised with an attribute made recursive:
/// `pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE)` then
/// `pthread_mutex_init(&m, &a)` in the same function.
static llvm::StringSet<> recursiveMutexes(ASTContext &AST) {
  struct Finder : RecursiveASTVisitor<Finder> {
    ASTContext &AST;
    llvm::DenseSet<const Decl *> RecursiveAttrs;
    std::vector<const CallExpr *> Inits;
    explicit Finder(ASTContext &AST) : AST(AST) {}
    static const Decl *addressed(const Expr *E) {
      E = E->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
          return DRE->getDecl();
      return nullptr;
    }
    bool VisitCallExpr(CallExpr *CE) {
      const FunctionDecl *F = CE->getDirectCallee();
      if (!F || !F->getIdentifier() || CE->getNumArgs() != 2)
        return true;
      if (F->getName() == "pthread_mutexattr_settype") {
        if (const Decl *A = addressed(CE->getArg(0));
            A && StringRef(spelling(CE->getArg(1), AST)).contains("RECURSIVE"))
          RecursiveAttrs.insert(A);
      } else if (F->getName() == "pthread_mutex_init") {
        Inits.push_back(CE);
      }
      return true;
    }
  } F(AST);
  llvm::StringSet<> Out;
  if (AST.Idents.find("pthread_mutexattr_settype") == AST.Idents.end())
    return Out; // the common case: nothing to look for
  F.TraverseDecl(AST.getTranslationUnitDecl());
  for (const CallExpr *Init : F.Inits)
    if (const Decl *A = Finder::addressed(Init->getArg(1)); A && F.RecursiveAttrs.count(A)) {
      LockId L = lockIdOf(Init->getArg(0), AST);
      if (L.valid())
        Out.insert(L.Key);
    }
  return Out;
}

static uint64_t nextModelSerial() {
  static std::atomic<uint64_t> Next{1};
  return Next++;
}

LockModel::LockModel(ASTContext &AST, const Config &Cfg,
                     const LockImports *Imports)
    : Serial(nextModelSerial()), AST(AST), RecursiveKeys(recursiveMutexes(AST)),
      Imports(Imports) {
  APIs.assign(lockAPIs().begin(), lockAPIs().end());
  for (const UserLockFunction &U : Cfg.Locks) {
    LockAPI A;
    A.Name = U.Function;
    A.User = true;
    A.LockArg = static_cast<int>(U.LockArg);
    switch (U.Action) {
    case LockAction::Acquire:
      A.Op = LockOp::Acquire;
      break;
    case LockAction::AcquireShared:
      A.Op = LockOp::AcquireShared;
      break;
    case LockAction::TryAcquire:
      A.Op = LockOp::TryAcquire;
      break;
    case LockAction::Release:
      A.Op = LockOp::Release;
      break;
    }
    APIs.push_back(std::move(A));
  }
  for (const LockAPI &A : APIs)
    ByName.try_emplace(A.Name, &A);
}

LockModel::~LockModel() = default;

const LockAPI *LockModel::apiFor(const CallExpr *Call) const {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return nullptr;
  // Most calls are not lock calls: a cheap first look at the plain name.
  auto It = ByName.find(tableName(FD));
  if (It == ByName.end())
    It = ByName.find(FD->getName());
  if (It == ByName.end()) {
    // A constant argument the callee branches on: the paths it selects.
    if (std::optional<ParamBinding> B = bindingOf(Call))
      return FD->getDefinition() ? wrapperRow(FD, B) : importedRow(FD, B);
    if (const LockAPI *W = wrapperRow(FD))
      return W;
    return importedRow(FD);
  }
  const LockAPI *A = It->second;
  if (!A->User)
    return A;
  // A user row counts arguments with the object of a method as 0.
  if (isa<CXXMethodDecl>(FD) && !cast<CXXMethodDecl>(FD)->isStatic()) {
    auto &Adjusted = UserMethodRows[A];
    if (!Adjusted) {
      Adjusted = std::make_unique<LockAPI>(*A);
      Adjusted->LockArg = A->LockArg == 0 ? ObjectArg : A->LockArg - 1;
    }
    return Adjusted.get();
  }
  return A;
}

/// The capabilities a thread-safety attribute names, as locks in the
/// function's own terms; \p OnObject when it names none (a method of a
/// capability class: the object itself).
template <typename AttrT>
static std::vector<LockId> attrLocks(const AttrT *A, const ASTContext &AST,
                                     bool &OnObject) {
  std::vector<LockId> Out;
  for (const Expr *E : A->args()) {
    LockId L = lockIdOf(E, AST);
    if (L.valid())
      Out.push_back(std::move(L));
  }
  OnObject = A->args_size() == 0;
  return Out;
}

LockId LockModel::lockIdOf(const Expr *E) const {
  // A pointer a try returned names the lock it took.
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenCasts() : nullptr))
    if (std::optional<Handle> H = handleOf(dyn_cast<VarDecl>(DRE->getDecl())))
      return H->Lock;
  LockId L = snag::lockIdOf(E, AST);
  if (L.valid() && L.Kind != LockKind::Recursive && RecursiveKeys.count(L.Key))
    L.Kind = LockKind::Recursive;
  return L;
}

//===----------------------------------------------------------------------===//
// Constant arguments: the paths they select
//===----------------------------------------------------------------------===//

/// The parameter \p E names, stripped of parentheses and casts.
static const ParmVarDecl *paramOf(const Expr *E) {
  const auto *DRE = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()) : nullptr;
  return DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
}

std::optional<int64_t> LockModel::valueUnder(const Expr *E,
                                             const FunctionDecl *FD,
                                             ParamBinding B) const {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  E = E->IgnoreParens();
  if (std::optional<llvm::APSInt> K = E->getIntegerConstantExpr(AST))
    return K->getExtValue();
  if (const auto *CE = dyn_cast<CastExpr>(E)) {
    std::optional<int64_t> V = valueUnder(CE->getSubExpr(), FD, B);
    if (!V)
      return std::nullopt;
    switch (CE->getCastKind()) {
    case CK_IntegralToBoolean:
      return *V != 0;
    case CK_IntegralCast:
    case CK_NoOp:
    case CK_LValueToRValue:
      return V;
    default:
      return std::nullopt;
    }
  }
  if (const ParmVarDecl *P = paramOf(E)) {
    const auto &Tested = testedConstants(FD);
    bool Decided = llvm::any_of(Tested, [&](const ParamBinding &T) {
      return T.Param == B.Param;
    });
    if (P->getFunctionScopeIndex() == B.Param &&
        P->getDeclContext() == FD && Decided)
      return B.Value;
    return std::nullopt;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    std::optional<int64_t> V = valueUnder(UO->getSubExpr(), FD, B);
    if (!V)
      return std::nullopt;
    switch (UO->getOpcode()) {
    case UO_LNot: return *V == 0;
    case UO_Minus: return -*V;
    case UO_Not: return ~*V;
    default: return std::nullopt;
    }
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    std::optional<int64_t> L = valueUnder(BO->getLHS(), FD, B);
    std::optional<int64_t> R = valueUnder(BO->getRHS(), FD, B);
    // One known side decides && and ||.
    if (BO->getOpcode() == BO_LAnd) {
      if ((L && !*L) || (R && !*R))
        return 0;
      return L && R ? std::optional<int64_t>(1) : std::nullopt;
    }
    if (BO->getOpcode() == BO_LOr) {
      if ((L && *L) || (R && *R))
        return 1;
      return L && R ? std::optional<int64_t>(0) : std::nullopt;
    }
    if (!L || !R)
      return std::nullopt;
    switch (BO->getOpcode()) {
    case BO_EQ: return *L == *R;
    case BO_NE: return *L != *R;
    case BO_LT: return *L < *R;
    case BO_GT: return *L > *R;
    case BO_LE: return *L <= *R;
    case BO_GE: return *L >= *R;
    case BO_And: return *L & *R;
    case BO_Or: return *L | *R;
    case BO_Xor: return *L ^ *R;
    default: return std::nullopt;
    }
  }
  return std::nullopt;
}

const std::vector<ParamBinding> &
LockModel::testedConstants(const FunctionDecl *FD) const {
  static const std::vector<ParamBinding> None;
  if (!FD)
    return None;
  FD = FD->getDefinition() ? FD->getDefinition() : FD;
  auto [Slot, New] = Tested.try_emplace(FD);
  if (!New)
    return Slot->second ? *Slot->second : None;
  if (!FD->getBody() || FD->isDependentContext() || !FD->getNumParams())
    return None;
  // Parameters the body changes (assigned, incremented, address taken) are
  // not what the caller passed at every branch.
  struct Finder : RecursiveASTVisitor<Finder> {
    ASTContext &AST;
    std::set<std::pair<unsigned, int64_t>> Values;
    llvm::DenseSet<const ParmVarDecl *> Changed;
    explicit Finder(ASTContext &AST) : AST(AST) {}
    std::optional<int64_t> constant(const Expr *E) {
      if (E->isValueDependent())
        return std::nullopt;
      std::optional<llvm::APSInt> K = E->getIntegerConstantExpr(AST);
      return K ? std::optional<int64_t>(K->getExtValue()) : std::nullopt;
    }
    void add(const ParmVarDecl *P, int64_t V) {
      if (P)
        Values.insert({P->getFunctionScopeIndex(), V});
    }
    bool VisitSwitchStmt(SwitchStmt *SW) {
      if (const ParmVarDecl *P = paramOf(SW->getCond()))
        for (const SwitchCase *SC = SW->getSwitchCaseList(); SC;
             SC = SC->getNextSwitchCase())
          if (const auto *CS = dyn_cast<CaseStmt>(SC))
            if (std::optional<int64_t> V = constant(CS->getLHS()))
              add(P, *V);
      return true;
    }
    bool VisitBinaryOperator(BinaryOperator *BO) {
      if (BO->isAssignmentOp() || BO->isCompoundAssignmentOp()) {
        if (const ParmVarDecl *P = paramOf(BO->getLHS()))
          Changed.insert(P);
        return true;
      }
      if (BO->isLogicalOp()) {
        truth(BO->getLHS());
        truth(BO->getRHS());
      }
      for (auto [Side, Other] : {std::pair(BO->getLHS(), BO->getRHS()),
                                 std::pair(BO->getRHS(), BO->getLHS())}) {
        const ParmVarDecl *P = paramOf(Side);
        std::optional<int64_t> K = P ? constant(Other) : std::nullopt;
        if (!K)
          continue;
        if (BO->isEqualityOp() || BO->isRelationalOp()) {
          add(P, *K);
          if (BO->isRelationalOp())
            add(P, *K + 1), add(P, *K - 1);
        } else if (BO->getOpcode() == BO_And) {
          add(P, *K);
          add(P, 0);
        }
      }
      return true;
    }
    bool VisitUnaryOperator(UnaryOperator *UO) {
      if (UO->getOpcode() == UO_LNot)
        truth(UO->getSubExpr());
      if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
        if (const ParmVarDecl *P = paramOf(UO->getSubExpr()))
          Changed.insert(P);
      return true;
    }
    void truth(const Expr *E) {
      if (const ParmVarDecl *P = paramOf(E)) {
        add(P, 0);
        add(P, 1);
      }
    }
    bool VisitIfStmt(IfStmt *S) {
      truth(S->getCond());
      return true;
    }
    bool VisitConditionalOperator(ConditionalOperator *CO) {
      truth(CO->getCond());
      return true;
    }
    bool VisitImplicitCastExpr(ImplicitCastExpr *IC) {
      // `if (flag)`, `!flag`, `flag && ...`: a truth.
      if (IC->getCastKind() == CK_IntegralToBoolean ||
          IC->getSubExpr()->getType()->isBooleanType())
        if (const ParmVarDecl *P = paramOf(IC->getSubExpr());
            P && P->getType()->isIntegralOrEnumerationType()) {
          add(P, 0);
          add(P, 1);
        }
      return true;
    }
  } F(AST);
  F.TraverseStmt(FD->getBody());
  auto Out = std::make_unique<std::vector<ParamBinding>>();
  for (const auto &[Param, Value] : F.Values) {
    if (Param >= FD->getNumParams() ||
        F.Changed.count(FD->getParamDecl(Param)) ||
        !FD->getParamDecl(Param)->getType()->isIntegralOrEnumerationType())
      continue;
    if (Out->size() == 16)
      break;
    Out->push_back({Param, Value});
  }
  auto &Answer = Tested[FD];
  Answer = std::move(Out);
  return *Answer;
}

std::optional<ParamBinding> LockModel::bindingOf(const CallExpr *Call) const {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || isa<CXXMethodDecl>(FD) || !FD->getIdentifier())
    return std::nullopt;
  const FunctionDecl *Def = FD->getDefinition();
  const LockFunctionFact *Imported = nullptr;
  if (!Def && Imports && !Imports->ByUsr.empty())
    if (auto It = Imports->ByUsr.find(usrOf(FD->getCanonicalDecl()));
        It != Imports->ByUsr.end())
      Imported = &It->second;
  if (!Def && !Imported)
    return std::nullopt;
  std::optional<ParamBinding> First;
  for (unsigned I = 0; I < Call->getNumArgs() && I < FD->getNumParams(); ++I) {
    const Expr *Arg = Call->getArg(I);
    if (Arg->isValueDependent() || !Arg->getType()->isIntegralOrEnumerationType())
      continue;
    std::optional<llvm::APSInt> K = Arg->getIntegerConstantExpr(AST);
    if (!K)
      continue;
    ParamBinding B{I, K->getExtValue()};
    // From another TU: the first constant it exported a row for (one that
    // differs from the function's own).
    if (!Def) {
      if (llvm::any_of(Imported->Variants, [&](const LockFunctionFact &V) {
            return V.Param == int32_t(I) && V.Value == B.Value;
          }))
        return B;
      continue;
    }
    // Here: any constant of a parameter the body branches on; the first
    // whose paths make the call do something else to locks than the
    // function's own row says, as another TU would pick it.
    if (llvm::none_of(testedConstants(Def),
                      [&](const ParamBinding &T) { return T.Param == I; }))
      continue;
    if (!First)
      First = B;
    const LockAPI *Own = wrapperRow(FD);
    const LockAPI *Selected = wrapperRow(FD, B);
    if (Selected && Selected != Own &&
        (!Own || Own->Op != Selected->Op ||
         Own->WitnessArg != Selected->WitnessArg))
      return B;
  }
  return First;
}

bool LockModel::callsOpaqueFunction(const FunctionDecl *FD) const {
  struct Finder : RecursiveASTVisitor<Finder> {
    const LockModel &M;
    bool Found = false;
    explicit Finder(const LockModel &M) : M(M) {}
    bool VisitCallExpr(CallExpr *CE) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      if (Callee && !Callee->getDefinition() &&
          !M.ast().getSourceManager().isInSystemHeader(Callee->getLocation()) &&
          !M.apiFor(CE))
        Found = true;
      return !Found;
    }
  } F(*this);
  F.TraverseStmt(FD->getBody());
  return F.Found;
}

/// What a returned value says, when it says it for certain.
enum class Truth { False, True, Unknown };

bool LockModel::tryRow(const FunctionLocks &FL, LockAPI &Row,
                       llvm::function_ref<bool(const LockId &)> Portable) const {
  std::vector<const LockExit *> Exits;
  for (const LockExit &X : FL.exits())
    if (!X.Exceptional)
      Exits.push_back(&X);
  auto Returned = [](const LockExit *X) -> const Expr * {
    const auto *RS = dyn_cast_or_null<ReturnStmt>(X->Site);
    return RS && RS->getRetValue() ? RS->getRetValue()->IgnoreParenCasts()
                                   : nullptr;
  };
  // The result of a try, passed on as it is (`return
  // pthread_mutex_trylock(&m);`) or as a truth (`return trylock(&m) == 0;`,
  // `return ok(...) ? 1 : 0;`).
  if (Exits.size() == 1)
    if (const Expr *E = Returned(Exits[0])) {
      bool Flip = false;
      if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
        std::optional<llvm::APSInt> A = CO->getTrueExpr()->getIntegerConstantExpr(AST);
        std::optional<llvm::APSInt> B = CO->getFalseExpr()->getIntegerConstantExpr(AST);
        if (A && B && A->isZero() != B->isZero()) {
          Flip = A->isZero();
          E = CO->getCond();
        }
      }
      std::optional<TryCond> TC = tryCondOf(*this, E);
      const LockAPI *API = TC && TC->Call ? apiFor(TC->Call) : nullptr;
      bool PassedOn = TC && E == Returned(Exits[0]) && E == TC->Call;
      if (API && API->CalleeLocks.empty() && API->LockArg >= 0 &&
          unsigned(API->LockArg) < TC->Call->getNumArgs() &&
          (PassedOn || TC->TrueMeansHeld != Flip)) {
        LockId L = lockIdOf(TC->Call->getArg(API->LockArg));
        if (!L.valid() || !Portable(L))
          return false;
        Row.Op = API->Op;
        Row.Success = PassedOn ? API->Success : TrySuccess::True;
        Row.CalleeLocks = {L};
        return true;
      }
    }
  // `return &m;` where it holds m and `return NULL;` where it does not
  // (memcached's item_trylock), or true and false.
  std::optional<LockId> Lock;
  bool Shared = false;
  for (const LockExit *X : Exits)
    for (const HeldLock &H : X->Held.Must.locks()) {
      if (Lock && !(H.Lock == *Lock))
        return false; // one lock per try
      Lock = H.Lock;
      Shared = H.Shared;
    }
  if (!Lock || !Portable(*Lock))
    return false;
  // A try never lets go of what it took: a function that releases the lock
  // on some path and returns holding it on another leaks it there.
  if (llvm::any_of(FL.events(), [&](const LockEvent &E) {
        return E.Op == LockOp::Release && E.Lock == *Lock;
      }))
    return false;
  auto TruthOf = [&](const Expr *E) {
    if (!E)
      return Truth::Unknown;
    if (E->isNullPointerConstant(AST, Expr::NPC_ValueDependentIsNotNull))
      return Truth::False;
    if (std::optional<llvm::APSInt> V = E->getIntegerConstantExpr(AST))
      return V->isZero() ? Truth::False : Truth::True;
    if (E->getType()->isPointerType() && lockIdOf(E) == *Lock)
      return Truth::True;
    return Truth::Unknown;
  };
  // Where it holds the lock it returns the lock, true, or a value that is
  // no constant (`return iter;`), and where it does not, null or false.
  bool SawHeld = false, SawFree = false;
  for (const LockExit *X : Exits) {
    const Expr *Value = Returned(X);
    Truth T = TruthOf(Value);
    if (X->Held.Must.find(*Lock)) {
      if (!Value || T == Truth::False ||
          (T == Truth::Unknown && Value->isEvaluatable(AST)))
        return false;
      SawHeld = true;
    } else if (!X->Held.May.find(*Lock)) {
      if (T != Truth::False)
        return false;
      SawFree = true;
    } else {
      return false; // held on some paths to this exit only
    }
  }
  if (!SawHeld || !SawFree)
    return false;
  Row.Op = Shared ? LockOp::TryAcquireShared : LockOp::TryAcquire;
  Row.Success = FL.function()->getReturnType()->isPointerType()
                    ? TrySuccess::NonNull
                    : TrySuccess::True;
  Row.CalleeLocks = {*Lock};
  return true;
}

std::optional<LockModel::Handle>
LockModel::handleOf(const VarDecl *VD) const {
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      !VD->getType()->isPointerType())
    return std::nullopt;
  auto [Slot, New] = Handles.try_emplace(VD);
  if (!New)
    return Slot->second;
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(VD->getDeclContext());
  if (!Fn || !Fn->getBody())
    return std::nullopt;
  // Every value the variable is given: null, or what a try returns.
  struct Values : RecursiveASTVisitor<Values> {
    const VarDecl *VD;
    std::vector<const Expr *> Out;
    bool Escapes = false;
    bool VisitBinaryOperator(BinaryOperator *BO) {
      if (BO->getOpcode() == BO_Assign)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
            DRE && DRE->getDecl() == VD)
          Out.push_back(BO->getRHS());
      return true;
    }
    bool VisitUnaryOperator(UnaryOperator *UO) {
      if (UO->getOpcode() == UO_AddrOf)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
            DRE && DRE->getDecl() == VD)
          Escapes = true; // set through a pointer: values unknown
      return true;
    }
  } Finder;
  Finder.VD = VD;
  if (VD->getInit())
    Finder.Out.push_back(VD->getInit());
  Finder.TraverseStmt(Fn->getBody());
  std::optional<Handle> H;
  for (const Expr *V : Finder.Out) {
    V = V->IgnoreParenCasts();
    if (V->isNullPointerConstant(AST, Expr::NPC_ValueDependentIsNotNull))
      continue;
    const auto *CE = dyn_cast<CallExpr>(V);
    const LockAPI *API = CE ? apiFor(CE) : nullptr;
    if (Finder.Escapes || !API || API->Success != TrySuccess::NonNull ||
        API->CalleeLocks.size() != 1 || API->WitnessArg >= 0) {
      H.reset();
      break;
    }
    LockId L = lockInCaller(API->CalleeLocks.front(), CE, API->Wrapper, AST);
    if (!L.valid() || (H && !(H->Lock == L))) {
      H.reset();
      break;
    }
    if (!H)
      H = Handle{L, CE};
  }
  Handles[VD] = H;
  return H;
}

static std::unique_ptr<CFG> buildLockCFG(const FunctionDecl *FD, ASTContext &AST);

std::vector<LockWitness> LockModel::witnessesOf(const FunctionDecl *FD) const {
  struct Finder : RecursiveASTVisitor<Finder> {
    const FunctionDecl *FD;
    ASTContext &AST;
    std::vector<LockWitness> Out;
    // The result: the locals returned where the value is no constant.
    llvm::SmallPtrSet<const VarDecl *, 2> Returned;
    bool OtherReturn = false;
    Finder(const FunctionDecl *FD, ASTContext &AST) : FD(FD), AST(AST) {}
    bool TraverseLambdaExpr(LambdaExpr *) { return true; } // not this body
    bool VisitReturnStmt(ReturnStmt *RS) {
      const Expr *V = RS->getRetValue();
      if (!V || witnessValueOf(V, AST) != WitnessValue::Unknown)
        return true;
      const auto *DRE = dyn_cast<DeclRefExpr>(V->IgnoreParenCasts());
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD))
        Returned.insert(VD);
      else
        OtherReturn = true;
      return true;
    }
    void add(const ParmVarDecl *P, std::string Field) {
      if (!P || P->getDeclContext() != FD || !P->getType()->isPointerType() ||
          P->getType()->getPointeeType().isConstQualified())
        return;
      int Index = int(P->getFunctionScopeIndex());
      for (const LockWitness &W : Out)
        if (W.Param == Index && W.Field == Field)
          return;
      LockWitness W;
      W.Param = Index;
      W.Field = std::move(Field);
      Out.push_back(std::move(W));
    }
    bool VisitBinaryOperator(BinaryOperator *BO) {
      if (BO->getOpcode() != BO_Assign)
        return true;
      const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
      auto Deref = [](const Expr *E) -> const Expr * {
        const auto *UO = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts());
        return UO && UO->getOpcode() == UO_Deref ? UO->getSubExpr() : nullptr;
      };
      if (const Expr *Ptr = Deref(L))
        add(paramOf(Ptr), "");
      else if (const auto *ME = dyn_cast<MemberExpr>(L))
        if (const Expr *Base = ME->isArrow() ? ME->getBase() : Deref(ME->getBase()))
          add(paramOf(Base), ME->getMemberDecl()->getName().str());
      return true;
    }
  } F(FD, AST);
  F.TraverseStmt(FD->getBody());
  std::vector<LockWitness> Out;
  // The result counts when it is a pointer (the item the lock guards): an
  // int or bool that is 1 where the lock is kept and 0 where it was let go
  // is a forgotten unlock on an error path far more often than a try.
  if (FD->getReturnType()->isPointerType()) {
    LockWitness W;
    if (F.Returned.size() == 1 && !F.OtherReturn)
      W.Local = *F.Returned.begin();
    Out.push_back(W);
  }
  for (LockWitness &W : F.Out)
    if (Out.size() < 5)
      Out.push_back(std::move(W));
  return Out;
}

bool LockModel::witnessRow(const FunctionLocks &FL, LockAPI &Row,
                           llvm::function_ref<bool(const LockId &)> Portable,
                           std::optional<ParamBinding> B) const {
  // One lock, held where the function leaves on some paths and not on
  // others, and taken here.
  std::optional<LockId> Lock;
  bool Always = true;
  for (const LockExit &X : FL.exits()) {
    if (X.Exceptional)
      continue;
    for (const HeldLock &H : X.Held.May.locks()) {
      if (Lock && !(H.Lock == *Lock))
        return false;
      Lock = H.Lock;
    }
    Always &= Lock && X.Held.Must.find(*Lock);
  }
  if (!Lock || Always || !Portable(*Lock) ||
      llvm::none_of(FL.events(), [&](const LockEvent &E) {
        return E.Lock == *Lock && E.Op != LockOp::Release &&
               E.Op != LockOp::Wait && E.Op != LockOp::Disown;
      }))
    return false;
  const FunctionDecl *FD = FL.function();
  // The first witness that tells it by constants only (`get(...,
  // &overflow)` returns the item it may hold the lock for even when the
  // item is NULL: the flag says it), else, for a call with a constant
  // argument, the first that tells it at all.
  std::optional<LockAPI> Approximate;
  for (const LockWitness &W : witnessesOf(FD)) {
    FunctionLocks Split;
    Split.Function = FD;
    Split.Binding = FL.binding();
    Split.Witness = &W;
    Split.Graph = buildLockCFG(FD, AST);
    if (!Split.Graph)
      return false;
    LockDataflow DF(*const_cast<LockModel *>(this), Split);
    DF.run();
    // Per value told: held at every exit, held at none, or neither.
    using V = WitnessValue;
    bool Held[4] = {}, Free[4] = {}, Mixed[4] = {}, Shared = false;
    for (const LockExit &X : Split.exits()) {
      if (X.Exceptional)
        continue;
      const HeldLock *Must = X.Held.Must.find(*Lock);
      bool May = X.Held.May.find(*Lock);
      Mixed[X.Witness] |= May && !Must;
      (Must ? Held : Free)[X.Witness] = true;
      Shared |= Must && Must->Shared;
    }
    // The walk of the paths one constant argument selects still walks
    // paths the call's other constants rule out (`pull(COLD, RETURN_ITEM,
    // &info)` walked for RETURN_ITEM alone keeps the lock on the paths of
    // the other lists too, where it stores nothing): for such a call, where
    // it tells zero or nothing the lock may be held as well. The caller
    // then takes it as not held, the cautious side for races. The
    // function's own row (what lock-not-released exempts) stays strict.
    bool Loose = B.has_value();
    if (Mixed[V::NonZero] || Mixed[V::Unknown] ||
        ((Mixed[V::Zero] || Mixed[V::Unset]) && !Loose))
      continue;
    // Held where it tells something other than zero (a value that is no
    // constant counts: a caller that reads zero there takes the lock as
    // not held, the cautious side), not held where it tells zero or
    // writes nothing.
    bool WhenSet = !Free[V::NonZero] && !Free[V::Unknown] &&
                   (Loose || (!Held[V::Zero] && !Held[V::Unset])) &&
                   (Held[V::NonZero] || Held[V::Unknown]) &&
                   (Free[V::Zero] || Free[V::Unset] || Held[V::Unset] ||
                    Mixed[V::Unset] || Held[V::Zero] || Mixed[V::Zero]);
    // Held where it tells zero, not where it tells another constant; it
    // tells a constant on every path.
    bool WhenZero = Held[V::Zero] && Free[V::NonZero] && !Free[V::Zero] &&
                    !Held[V::NonZero] && !Held[V::Unknown] &&
                    !Free[V::Unknown] && !Held[V::Unset] && !Free[V::Unset] &&
                    !Mixed[V::Unset] && !Mixed[V::Zero];
    if (!WhenSet && !WhenZero)
      continue;
    QualType Told = FD->getReturnType();
    if (W.Param >= 0) {
      Told = FD->getParamDecl(W.Param)->getType()->getPointeeType();
      if (!W.Field.empty())
        Told = QualType(); // a field: pointer or not, zero means not taken
    }
    LockAPI Found = Row;
    Found.Op = Shared ? LockOp::TryAcquireShared : LockOp::TryAcquire;
    Found.Success = WhenZero ? TrySuccess::Zero
                    : !Told.isNull() && Told->isPointerType() ? TrySuccess::NonNull
                                                              : TrySuccess::True;
    Found.CalleeLocks = {*Lock};
    Found.WitnessArg = W.Param;
    Found.WitnessField = W.Field;
    if (!Held[V::Unknown]) {
      Row = std::move(Found);
      return true;
    }
    // A value that is no constant where the lock is held: only for a call
    // with a constant argument, never for the function's own row.
    if (Loose && !Approximate)
      Approximate = std::move(Found);
  }
  if (!Approximate)
    return false;
  Row = std::move(*Approximate);
  return true;
}

const CallExpr *LockModel::witnessCallOf(const Expr *E,
                                         const FunctionDecl *FD) const {
  if (!E || !FD || !FD->getBody())
    return nullptr;
  // What an expression reads, as (variable, field, through a pointer).
  auto Read = [](const Expr *E) -> std::optional<WitnessCall> {
    E = E->IgnoreParenImpCasts();
    WitnessCall C;
    auto Var = [](const Expr *E) -> const ValueDecl * {
      const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    };
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_Deref) {
      C.ViaPointer = true;
      C.Var = Var(UO->getSubExpr());
    } else if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      C.Field = ME->getMemberDecl()->getName().str();
      C.ViaPointer = ME->isArrow();
      C.Var = Var(ME->getBase());
    } else {
      C.Var = Var(E);
    }
    if (!C.Var)
      return std::nullopt;
    return C;
  };
  if (!WitnessCalls.count(FD)) {
    WitnessCalls[FD] = nullptr; // being computed: no witness yet
    struct Finder : RecursiveASTVisitor<Finder> {
      const LockModel &M;
      std::vector<WitnessCall> Calls;
      std::vector<WitnessCall> Changed; // given values that are no constant
      decltype(Read) &ReadOf;
      Finder(const LockModel &M, decltype(Read) &ReadOf) : M(M), ReadOf(ReadOf) {}
      bool VisitCallExpr(CallExpr *CE) {
        const LockAPI *API = M.apiFor(CE);
        if (!API || API->WitnessArg < 0 ||
            unsigned(API->WitnessArg) >= CE->getNumArgs())
          return true;
        // `&info` names `info`; a pointer `p` names `*p`.
        const Expr *Arg = CE->getArg(API->WitnessArg)->IgnoreParenImpCasts();
        WitnessCall C;
        if (const auto *UO = dyn_cast<UnaryOperator>(Arg);
            UO && UO->getOpcode() == UO_AddrOf) {
          std::optional<WitnessCall> R = ReadOf(UO->getSubExpr());
          if (!R || R->ViaPointer || !R->Field.empty())
            return true;
          C.Var = R->Var;
        } else if (std::optional<WitnessCall> R = ReadOf(Arg);
                   R && !R->ViaPointer && R->Field.empty()) {
          C.Var = R->Var;
          C.ViaPointer = true;
        } else {
          return true;
        }
        C.Field = API->WitnessField;
        C.Call = CE;
        for (WitnessCall &Old : Calls)
          if (Old.Var == C.Var && Old.Field == C.Field &&
              Old.ViaPointer == C.ViaPointer) {
            if (Old.Call && Old.Call->getDirectCallee() !=
                                CE->getDirectCallee())
              Old.Call = nullptr; // two functions tell through it
            return true;
          }
        Calls.push_back(std::move(C));
        return true;
      }
      bool VisitBinaryOperator(BinaryOperator *BO) {
        if (BO->isAssignmentOp() &&
            (BO->getOpcode() != BO_Assign ||
             witnessValueOf(BO->getRHS(), M.ast()) == WitnessValue::Unknown))
          if (std::optional<WitnessCall> R = ReadOf(BO->getLHS()))
            Changed.push_back(*R);
        return true;
      }
    } F(*this, Read);
    F.TraverseStmt(FD->getBody());
    // A witness the caller itself gives other values is no witness.
    for (WitnessCall &C : F.Calls)
      for (const WitnessCall &X : F.Changed)
        if (X.Var == C.Var && X.Field == C.Field && X.ViaPointer == C.ViaPointer)
          C.Call = nullptr;
    // The map may have grown meanwhile (apiFor looks at other functions).
    WitnessCalls[FD] =
        std::make_unique<std::vector<WitnessCall>>(std::move(F.Calls));
  }
  std::optional<WitnessCall> R = Read(E);
  if (!R)
    return nullptr;
  const auto &Calls = WitnessCalls[FD];
  if (!Calls)
    return nullptr;
  for (const WitnessCall &C : *Calls)
    if (C.Var == R->Var && C.Field == R->Field && C.ViaPointer == R->ViaPointer)
      return C.Call;
  return nullptr;
}

const LockAPI *LockModel::wrapperRow(const FunctionDecl *FD,
                                     std::optional<ParamBinding> B) const {
  FD = FD->getCanonicalDecl();
  if (B) {
    // Attributes speak for every call: a constant changes nothing then.
    auto Annotated = [](const FunctionDecl *D) {
      return D->hasAttr<AcquireCapabilityAttr>() ||
             D->hasAttr<ReleaseCapabilityAttr>() ||
             D->hasAttr<TryAcquireCapabilityAttr>() ||
             D->hasAttr<ExclusiveTrylockFunctionAttr>() ||
             D->hasAttr<SharedTrylockFunctionAttr>();
    };
    if (!FD->getDefinition() || llvm::any_of(FD->redecls(), Annotated))
      return wrapperRow(FD);
    // A body that does nothing to locks on any path does nothing on some.
    const FunctionLocks *All =
        const_cast<LockModel *>(this)->forFunction(FD->getDefinition());
    if (!All || !All->touchesLocks())
      return nullptr;
    auto [Slot, New] = SpecializedRows.try_emplace({FD, *B});
    if (!New)
      return Slot->second.get();
  } else {
    auto [Slot, New] = WrapperRows.try_emplace(FD);
    if (!New)
      return Slot->second.get(); // known, or being computed (recursion)
  }
  auto Row = std::make_unique<LockAPI>();
  Row->Name = tableName(FD);
  Row->Wrapper = FD;
  bool Found = false;
  // Clang's thread-safety attributes, on any declaration.
  bool IsMethod = isa<CXXMethodDecl>(FD) && !cast<CXXMethodDecl>(FD)->isStatic();
  const FunctionDecl *AttrDecl = FD;
  auto FromAttr = [&](auto *A, LockOp Op) {
    if (!A || Found)
      return;
    Row->Wrapper = AttrDecl; // its parameters are the ones the attribute names
    bool OnObject = false;
    Row->CalleeLocks = attrLocks(A, AST, OnObject);
    Row->Op = Op;
    if (OnObject && IsMethod) {
      Row->LockArg = ObjectArg;
      Found = true;
    } else {
      Found = !Row->CalleeLocks.empty();
    }
  };
  for (const FunctionDecl *D : FD->redecls()) {
    if (B)
      break; // attributes were read for the general row
    AttrDecl = D;
    if (const auto *A = D->getAttr<AcquireCapabilityAttr>())
      FromAttr(A, A->isShared() ? LockOp::AcquireShared : LockOp::Acquire);
    if (const auto *A = D->getAttr<ReleaseCapabilityAttr>())
      FromAttr(A, LockOp::Release);
    if (const auto *A = D->getAttr<TryAcquireCapabilityAttr>()) {
      FromAttr(A, A->isShared() ? LockOp::TryAcquireShared : LockOp::TryAcquire);
      Row->Success = TrySuccess::True;
    }
    if (const auto *A = D->getAttr<ExclusiveTrylockFunctionAttr>()) {
      FromAttr(A, LockOp::TryAcquire);
      Row->Success = TrySuccess::True;
    }
    if (const auto *A = D->getAttr<SharedTrylockFunctionAttr>()) {
      FromAttr(A, LockOp::TryAcquireShared);
      Row->Success = TrySuccess::True;
    }
  }
  // The body: what every normal exit still holds that the function took,
  // or a lock of its caller's that it lets go.
  const FunctionDecl *Def = FD->getDefinition();
  if (!Found && Def && Def->hasBody() && !Def->isDependentContext() &&
      !Computing.count(Def)) { // recursion: a wrapper does not call itself
    const FunctionLocks *FL = const_cast<LockModel *>(this)->forFunction(Def, B);
    Row->Wrapper = Def;
    if (FL && FL->touchesLocks()) {
      std::optional<LockSet> Kept;
      for (const LockExit &X : FL->exits())
        if (!X.Exceptional)
          Kept = Kept ? LockSet::intersect(*Kept, X.Held.Must) : X.Held.Must;
      // A lock of the caller's makes sense only as a global, a parameter
      // or a field of the object.
      auto Portable = [&](const LockId &L) {
        llvm::StringRef K = L.Key;
        return K.starts_with("g:") || K.starts_with("p:") ||
               (K.starts_with("f:") &&
                (L.Base == "this" || llvm::StringRef(L.Base).starts_with("p:")));
      };
      std::vector<LockId> Taken, Released, HandedBack;
      // The caller's locks: released here before any take.
      // A lock it also takes without keeping it on every exit is no
      // caller's lock: a function that pauses or resumes by its argument.
      auto TakenSomewhere = [&](const LockId &L) {
        return llvm::any_of(FL->events(), [&](const LockEvent &E) {
          return E.Lock == L && E.Op != LockOp::Release && E.Op != LockOp::Wait &&
                 E.Op != LockOp::Disown;
        });
      };
      // A global released after a call snag cannot see into may be one
      // that call took (memcached's storage_write: lru_pull_tail locks the
      // item and reports its hash through an out-parameter).
      std::optional<bool> Opaque;
      auto OpaqueCall = [&] {
        if (!Opaque)
          Opaque = callsOpaqueFunction(Def);
        return *Opaque;
      };
      bool Mixed = false;
      for (const LockEvent &E : FL->events())
        if (E.Op == LockOp::Release && !E.Implicit && !E.Guard &&
            !E.Before.May.find(E.Lock) && Portable(E.Lock) &&
            !(llvm::StringRef(E.Lock.Key).starts_with("g:") && OpaqueCall()) &&
            llvm::none_of(Released, [&](const LockId &L) { return L == E.Lock; })) {
          bool Back = Kept && Kept->find(E.Lock);
          Mixed |= !Back && TakenSomewhere(E.Lock);
          (Back ? HandedBack : Released).push_back(E.Lock);
        }
      if (Mixed)
        Released.clear();
      bool Shared = false;
      // Taken and kept, unless it is the caller's lock handed back (released
      // to sleep without it, then taken again).
      if (Kept)
        for (const HeldLock &H : Kept->locks())
          if (!H.Guarded && Portable(H.Lock) &&
              llvm::none_of(HandedBack, [&](const LockId &L) { return L == H.Lock; })) {
            Taken.push_back(H.Lock);
            Shared |= H.Shared;
          }
      // One effect per row: a function that does both is no plain wrapper.
      if (!Taken.empty() && Released.empty()) {
        Row->Op = Shared ? LockOp::AcquireShared : LockOp::Acquire;
        Row->CalleeLocks = std::move(Taken);
        Found = true;
      } else if (Taken.empty() && !Released.empty()) {
        Row->Op = LockOp::Release;
        Row->CalleeLocks = std::move(Released);
        Found = true;
      } else if (Taken.empty() && Released.empty() && !Mixed) {
        Found = tryRow(*FL, *Row, Portable) || witnessRow(*FL, *Row, Portable, B);
      }
    }
  }
  // forFunction may have grown the maps.
  auto &Answer = B ? SpecializedRows[{FD, *B}] : WrapperRows[FD];
  if (Found)
    Answer = std::move(Row);
  return Answer.get();
}

/// The LockFunctionFact spelling of each operation a lock function can have.
static const std::pair<LockOp, const char *> OpNames[] = {
    {LockOp::Acquire, "acquire"},
    {LockOp::AcquireShared, "acquire-shared"},
    {LockOp::TryAcquire, "try"},
    {LockOp::TryAcquireShared, "try-shared"},
    {LockOp::Release, "release"},
};
static const std::pair<TrySuccess, const char *> SuccessNames[] = {
    {TrySuccess::True, "true"},
    {TrySuccess::Zero, "zero"},
    {TrySuccess::MinusOne, "minus-one"},
    {TrySuccess::NonNull, "nonnull"},
};

std::optional<LockFunctionFact>
LockModel::factOfRow(const LockAPI &Row) const {
  if (!Row.Wrapper)
    return std::nullopt;
  LockFunctionFact F;
  for (const auto &[Op, Name] : OpNames)
    if (Op == Row.Op)
      F.Op = Name;
  if (F.Op.empty())
    return std::nullopt;
  if (Row.Op == LockOp::TryAcquire || Row.Op == LockOp::TryAcquireShared)
    for (const auto &[S, Name] : SuccessNames)
      if (S == Row.Success)
        F.Success = Name;
  F.Witness = Row.WitnessArg;
  F.WitnessField = Row.WitnessField;
  // Parameters by position: a caller's declaration may name them
  // differently, or not at all.
  auto Portable = [&](llvm::StringRef Key) -> std::optional<std::string> {
    if (!Key.consume_front("p:"))
      return Key.str();
    for (unsigned I = 0; I < Row.Wrapper->getNumParams(); ++I)
      if (Key == usrOf(Row.Wrapper->getParamDecl(I)))
        return "p:#" + std::to_string(I);
    return std::nullopt;
  };
  for (const LockId &L : Row.CalleeLocks) {
    LockRefFact R;
    std::optional<std::string> Key = Portable(L.Key);
    std::optional<std::string> Base = Portable(L.Base);
    if (!Key || !Base)
      return std::nullopt;
    R.Key = *Key;
    R.Base = *Base;
    R.Name = L.Name;
    R.Recursive = L.Kind == LockKind::Recursive;
    F.Locks.push_back(std::move(R));
  }
  if (F.Locks.empty() && Row.LockArg != ObjectArg)
    return std::nullopt;
  return F;
}

std::optional<LockFunctionFact>
LockModel::exportRow(const FunctionDecl *FD) const {
  LockFunctionFact F;
  if (const LockAPI *Row = wrapperRow(FD))
    if (std::optional<LockFunctionFact> General = factOfRow(*Row))
      F = std::move(*General);
  // What a call with a constant argument does, where that differs.
  for (const ParamBinding &B : testedConstants(FD)) {
    LockFunctionFact V;
    if (const LockAPI *Row = wrapperRow(FD, B))
      if (std::optional<LockFunctionFact> Fact = factOfRow(*Row))
        V = std::move(*Fact);
    auto Same = [](const LockFunctionFact &A, const LockFunctionFact &B) {
      if (A.Op != B.Op || A.Success != B.Success || A.Witness != B.Witness ||
          A.WitnessField != B.WitnessField || A.Locks.size() != B.Locks.size())
        return false;
      for (size_t I = 0; I < A.Locks.size(); ++I)
        if (A.Locks[I].Key != B.Locks[I].Key ||
            A.Locks[I].Base != B.Locks[I].Base)
          return false;
      return true;
    };
    if (Same(V, F))
      continue;
    V.Param = int32_t(B.Param);
    V.Value = B.Value;
    F.Variants.push_back(std::move(V));
  }
  if (F.Op.empty() && F.Variants.empty())
    return std::nullopt;
  F.Usr = usrOf(FD->getCanonicalDecl());
  if (F.Usr.empty())
    return std::nullopt;
  return F;
}

std::unique_ptr<LockAPI>
LockModel::rowOfFact(const LockFunctionFact &F, const FunctionDecl *FD) const {
  auto Row = std::make_unique<LockAPI>();
  Row->Name = tableName(FD);
  Row->Wrapper = FD;
  bool Known = false;
  for (const auto &[Op, Name] : OpNames)
    if (F.Op == Name) {
      Row->Op = Op;
      Known = true;
    }
  for (const auto &[S, Name] : SuccessNames)
    if (F.Success == Name)
      Row->Success = S;
  if (!Known)
    return nullptr;
  Row->WitnessArg = F.Witness;
  Row->WitnessField = F.WitnessField;
  for (const LockRefFact &R : F.Locks) {
    LockId L;
    L.Key = R.Key;
    L.Base = R.Base;
    L.Name = R.Name;
    L.Kind = R.Recursive ? LockKind::Recursive : LockKind::Unknown;
    Row->CalleeLocks.push_back(std::move(L));
  }
  Row->LockArg = ObjectArg; // a method of a capability class: its object
  return Row;
}

const LockAPI *LockModel::importedRow(const FunctionDecl *FD,
                                      std::optional<ParamBinding> B) const {
  if (!Imports || Imports->ByUsr.empty() || FD->getDefinition())
    return nullptr; // what this TU defines, it reads from the body
  FD = FD->getCanonicalDecl();
  if (B) {
    auto [Slot, New] = ImportedSpecialized.try_emplace({FD, *B});
    if (!New)
      return Slot->second.get();
    auto It = Imports->ByUsr.find(usrOf(FD));
    if (It == Imports->ByUsr.end())
      return nullptr;
    for (const LockFunctionFact &V : It->second.Variants)
      if (V.Param == int32_t(B->Param) && V.Value == B->Value)
        Slot->second = rowOfFact(V, FD);
    return Slot->second.get();
  }
  auto [Slot, New] = ImportedRows.try_emplace(FD);
  if (!New)
    return Slot->second.get();
  auto It = Imports->ByUsr.find(usrOf(FD));
  if (It == Imports->ByUsr.end())
    return nullptr;
  Slot->second = rowOfFact(It->second, FD);
  return Slot->second.get();
}

const GuardAPI *LockModel::guardFor(QualType T) const {
  T = T.getNonReferenceType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return nullptr;
  // A class annotated for Clang's thread-safety analysis as a scoped
  // capability (leveldb's MutexLock, absl::MutexLock, absl::ReaderMutexLock)
  // is a guard of the lock its constructor takes.
  if (RD->hasAttr<ScopedLockableAttr>()) {
    static const GuardAPI Exclusive{"scoped capability", false, false, false};
    static const GuardAPI Shared{"shared scoped capability", true, false, false};
    for (const CXXConstructorDecl *C : RD->ctors())
      if (const auto *A = C->getAttr<AcquireCapabilityAttr>(); A && A->isShared())
        return &Shared;
    return &Exclusive;
  }
  StringRef N = RD->getName();
  if (!N.ends_with("_lock") && !N.ends_with("_guard"))
    return nullptr;
  std::string Full = tableName(RD);
  for (const GuardAPI &G : GuardTable)
    if (Full == G.Name)
      return &G;
  return nullptr;
}

/// The CFG the held-set dataflow walks: exception edges, implicit
/// destructors, every statement its own element.
static std::unique_ptr<CFG> buildLockCFG(const FunctionDecl *FD, ASTContext &AST) {
  CFG::BuildOptions BO;
  BO.AddEHEdges = true;
  BO.AddImplicitDtors = true;
  BO.AddTemporaryDtors = true;
  BO.AddInitializers = true;
  BO.AddCXXDefaultInitExprInCtors = true;
  BO.setAllAlwaysAdd();
  return CFG::buildCFG(FD, FD->getBody(), &AST, BO);
}

const FunctionLocks *LockModel::forFunction(const FunctionDecl *FD,
                                            std::optional<ParamBinding> B) {
  if (!FD)
    return nullptr;
  FD = FD->getDefinition() ? FD->getDefinition() : FD;
  if (B && B->Param >= FD->getNumParams())
    B.reset();
  FunctionLocks *Slot = nullptr;
  // Held by pointer: the dataflow below may look at other functions (their
  // wrapper rows), and the maps may grow meanwhile.
  if (B) {
    auto [It, New] = Specialized.try_emplace({FD, *B});
    if (!New)
      return It->second.get();
    It->second = std::make_unique<FunctionLocks>();
    Slot = It->second.get();
    Slot->Binding = B;
  } else {
    if (auto It = Functions.find(FD); It != Functions.end())
      return It->second.get();
    Slot = Functions.try_emplace(FD, std::make_unique<FunctionLocks>())
               .first->second.get();
  }
  Slot->Function = FD;
  Stmt *Body = FD->getBody();
  if (!Body || FD->isDependentContext())
    return Slot;
  bool Outer = Computing.insert(FD).second;
  Slot->Graph = buildLockCFG(FD, AST);
  if (Slot->Graph) {
    LockDataflow DF(*this, *Slot);
    DF.run();
  }
  if (Outer)
    Computing.erase(FD);
  return Slot;
}

LockModel &LockModel::of(TUContext &Ctx) {
  // One model per TU and worker thread (tuKey tells TUs apart).
  struct Slot {
    const void *TU = nullptr;
    std::unique_ptr<LockModel> Model;
  };
  thread_local Slot S;
  const void *TU = tuKey(Ctx);
  if (!S.Model || S.TU != TU) {
    S.Model.reset();
    S.Model = std::make_unique<LockModel>(Ctx.AST, Ctx.Cfg, Ctx.Imports);
    S.TU = TU;
  }
  return *S.Model;
}

//===----------------------------------------------------------------------===//
// Debug dump: SNAG_DUMP=locks prints every function's lock events
//===----------------------------------------------------------------------===//

static const char *opName(LockOp Op) {
  switch (Op) {
  case LockOp::Acquire: return "acquire";
  case LockOp::AcquireShared: return "acquire-shared";
  case LockOp::TryAcquire: return "try-acquire";
  case LockOp::TryAcquireShared: return "try-acquire-shared";
  case LockOp::Release: return "release";
  case LockOp::Wait: return "wait";
  case LockOp::Disown: return "disown";
  }
  return "?";
}

static void printSet(llvm::raw_ostream &OS, const LockSet &S) {
  OS << "{";
  bool First = true;
  for (const HeldLock &H : S.locks()) {
    OS << (First ? "" : ",") << H.Lock.Name;
    if (H.Shared)
      OS << "(shared)";
    if (H.Count > 1)
      OS << "x" << H.Count;
    First = false;
  }
  OS << "}";
}

namespace {
/// Every function body of the user's code, lambdas included, in order.
class BodyCollector : public UserCodeVisitor<BodyCollector> {
public:
  explicit BodyCollector(TUContext &Ctx) : Ctx(Ctx) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext() &&
        Ctx.isUserCode(FD->getLocation()))
      Bodies.push_back(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *LE) {
    if (Ctx.isUserCode(LE->getBeginLoc()))
      Bodies.push_back(LE->getCallOperator());
    return true;
  }
  TUContext &Ctx;
  std::vector<const FunctionDecl *> Bodies;
};
} // namespace

std::vector<const FunctionDecl *> userFunctionBodies(TUContext &Ctx) {
  BodyCollector C(Ctx);
  C.TraverseDecl(Ctx.AST.getTranslationUnitDecl());
  return std::move(C.Bodies);
}

void dumpLockModel(TUContext &Ctx) {
  const char *Env = std::getenv("SNAG_DUMP");
  if (!Env || !StringRef(Env).contains("locks"))
    return;
  LockModel &M = LockModel::of(Ctx);
  const SourceManager &SM = Ctx.AST.getSourceManager();
  llvm::raw_ostream &OS = llvm::outs();
  for (const FunctionDecl *FD : userFunctionBodies(Ctx)) {
    const FunctionLocks *FL = M.forFunction(FD);
    if (!FL || !FL->touchesLocks())
      continue;
    OS << "function " << tableName(FD) << "\n";
    if (StringRef(Env).contains("cfg") && FL->cfg())
      FL->cfg()->print(OS, Ctx.AST.getLangOpts(), false);
    for (const LockEvent &E : FL->events()) {
      OS << "  " << SM.getSpellingLineNumber(E.Loc) << ": " << opName(E.Op)
         << " " << E.Lock.Name << (E.Guard ? " guard" : "")
         << (E.Implicit ? " implicit" : "") << " must=";
      printSet(OS, E.Before.Must);
      OS << " may=";
      printSet(OS, E.Before.May);
      OS << "\n";
    }
    for (const LockExit &X : FL->exits()) {
      OS << "  exit " << (X.Loc.isValid() ? SM.getSpellingLineNumber(X.Loc) : 0)
         << (X.Exceptional ? " exceptional" : "") << " must=";
      printSet(OS, X.Held.Must);
      OS << " may=";
      printSet(OS, X.Held.May);
      OS << "\n";
    }
  }
  OS.flush();
}

} // namespace snag
