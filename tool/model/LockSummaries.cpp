//===- LockSummaries.cpp - Locks taken through callees; lock functions ----===//
#include "model/LockSummaries.h"
#include "model/Usr.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"

#include <map>
#include <set>
#include <mutex>

using namespace clang;

namespace snag {

namespace {

/// The words of an identifier: `lock_queue` -> {lock, queue},
/// `LockTable` -> {lock, table}.
llvm::SmallVector<std::string, 4> wordsOf(llvm::StringRef Name) {
  llvm::SmallVector<std::string, 4> Words;
  std::string Cur;
  for (size_t I = 0; I < Name.size(); ++I) {
    char C = Name[I];
    bool Upper = llvm::isUpper(C);
    if (C == '_' || (Upper && !Cur.empty() && !llvm::isUpper(Name[I - 1]))) {
      if (!Cur.empty())
        Words.push_back(Cur);
      Cur.clear();
      if (C == '_')
        continue;
    }
    Cur += llvm::toLower(C);
  }
  if (!Cur.empty())
    Words.push_back(Cur);
  return Words;
}

/// Whether the first or last word of \p FD's name is one of \p Verbs.
bool nameSays(const FunctionDecl *FD, std::initializer_list<llvm::StringRef> Verbs) {
  if (!FD->getIdentifier())
    return false;
  auto Words = wordsOf(FD->getName());
  if (Words.empty())
    return false;
  for (llvm::StringRef V : Verbs)
    if (Words.front() == V || Words.back() == V)
      return true;
  return false;
}

bool configSays(const FunctionDecl *FD, const Config &Cfg, bool Acquire) {
  std::string Qualified = tableName(FD);
  for (const UserLockFunction &U : Cfg.Locks) {
    bool IsAcquire = U.Action != LockAction::Release;
    if (IsAcquire == Acquire &&
        (U.Function == Qualified || U.Function == FD->getName()))
      return true;
  }
  return false;
}

struct SummaryCache {
  using Key = std::pair<const FunctionDecl *, std::optional<ParamBinding>>;
  std::map<Key, std::vector<TakenLock>> Done;
  std::set<Key> InProgress;
};

SummaryCache &cache(LockModel &M) {
  // One cache per worker thread, reset when the model (the TU) changes.
  thread_local SummaryCache C;
  thread_local uint64_t Owner = 0;
  if (Owner != M.Serial) {
    C = SummaryCache();
    Owner = M.Serial;
  }
  return C;
}

} // namespace

/// The index of the parameter a "p:" key names, without the prefix: its
/// USR, or "#N" in a lock function another TU defines.
static std::optional<unsigned> paramIndex(const FunctionDecl *Callee,
                                          llvm::StringRef Param) {
  unsigned Index;
  if (Param.consume_front("#"))
    return Param.getAsInteger(10, Index) ? std::nullopt
                                         : std::optional<unsigned>(Index);
  for (Index = 0; Index < Callee->getNumParams(); ++Index)
    if (Param == usrOf(Callee->getParamDecl(Index)))
      return Index;
  return std::nullopt;
}

LockId lockInCaller(const LockId &CalleeLock, const CallExpr *Call,
                    const FunctionDecl *Callee, const ASTContext &AST,
                    const LockModel *M) {
  auto Named = [&](const Expr *E) { return M ? M->lockIdOf(E) : lockIdOf(E, AST); };
  llvm::StringRef Key = CalleeLock.Key;
  if (Key.starts_with("g:"))
    return CalleeLock;
  if (Key.starts_with("f:") && llvm::StringRef(CalleeLock.Base).starts_with("p:")) {
    // A field of the object a parameter points to (`possess(&p->m)`): the
    // same field of the object the caller passes.
    std::optional<unsigned> Index =
        paramIndex(Callee, llvm::StringRef(CalleeLock.Base).drop_front(2));
    if (!Index || *Index >= Call->getNumArgs())
      return {};
    LockId B = Named(Call->getArg(*Index));
    if (!B.valid())
      return {};
    LockId Mapped = CalleeLock;
    Mapped.Base = B.key();
    llvm::StringRef Field = llvm::StringRef(CalleeLock.Key).drop_front(2);
    Field = Field.substr(Field.rfind(':') + 1);
    if (!Field.empty())
      Mapped.Name = B.Name + "." + Field.str();
    return Mapped;
  }
  if (Key.starts_with("f:")) {
    if (CalleeLock.Base != "this")
      return {};
    LockId Mapped = CalleeLock;
    const Expr *Object = nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      Object = MC->getImplicitObjectArgument();
    if (!Object)
      return {};
    Object = Object->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Object))
      return Mapped; // the same object
    LockId B = lockIdOf(Object, AST);
    Mapped.Base = B.valid() ? B.key() : "?:object";
    return Mapped;
  }
  if (Key.starts_with("p:")) {
    std::optional<unsigned> Index = paramIndex(Callee, Key.drop_front(2));
    if (!Index || *Index >= Call->getNumArgs())
      return {};
    return Named(Call->getArg(*Index));
  }
  return {};
}

const std::vector<TakenLock> &locksTakenBy(LockModel &M,
                                           const FunctionDecl *FD,
                                           unsigned Depth,
                                           std::optional<ParamBinding> B) {
  static const std::vector<TakenLock> None;
  if (!FD)
    return None;
  FD = FD->getDefinition() ? FD->getDefinition() : FD;
  SummaryCache &C = cache(M);
  SummaryCache::Key Key{FD, B};
  auto It = C.Done.find(Key);
  if (It != C.Done.end())
    return It->second;
  if (Depth == 0 || !C.InProgress.insert(Key).second)
    return None; // recursion: what the outer call finds is enough
  std::vector<TakenLock> Out;
  if (const FunctionLocks *FL = M.forFunction(FD, B)) {
    // A function that releases its caller's lock and takes it again (to
    // sleep without it) hands it back: it does not take it anew.
    std::set<std::string> CallersLocks;
    for (const LockEvent &E : FL->events())
      if (E.Op == LockOp::Release && !E.Implicit && !E.Before.Must.find(E.Lock))
        CallersLocks.insert(E.Lock.key());
    for (const LockEvent &E : FL->events()) {
      if ((E.Op != LockOp::Acquire && E.Op != LockOp::AcquireShared) ||
          !E.Lock.valid() || adoptsLock(E) ||
          CallersLocks.count(E.Lock.key()))
        continue;
      TakenLock T;
      T.Lock = E.Lock;
      T.Shared = E.Op == LockOp::AcquireShared;
      T.Loc = E.Loc;
      Out.push_back(std::move(T));
    }
    // Calls: every call in the CFG that has a body here.
    if (const CFG *G = FL->cfg()) {
      for (const CFGBlock *B : *G)
        for (const CFGElement &El : *B) {
          auto S = El.getAs<CFGStmt>();
          if (!S)
            continue;
          const auto *Call = dyn_cast<CallExpr>(S->getStmt());
          // A call on a path the constant rules out is not made.
          if (!Call || M.apiFor(Call) || !FL->heldAt(Call))
            continue;
          const FunctionDecl *Callee = Call->getDirectCallee();
          if (!Callee || !Callee->getDefinition() || Callee == FD)
            continue;
          for (const TakenLock &Inner :
               locksTakenBy(M, Callee->getDefinition(), Depth - 1,
                            M.bindingOf(Call))) {
            LockId Mapped = lockInCaller(Inner.Lock, Call, Callee, M.ast());
            if (!Mapped.valid())
              continue;
            TakenLock T = Inner;
            T.Lock = Mapped;
            T.Chain.insert(T.Chain.begin(), Call);
            Out.push_back(std::move(T));
          }
        }
    }
  }
  C.InProgress.erase(Key);
  return C.Done[Key] = std::move(Out);
}

bool isAcquireFunction(const FunctionDecl *FD, const Config &Cfg) {
  if (FD->hasAttr<AcquireCapabilityAttr>() ||
      FD->hasAttr<TryAcquireCapabilityAttr>())
    return true;
  // `item_get_locked`: returns with the lock held, by its name.
  if (nameSays(FD, {"lock", "trylock", "acquire", "enter", "possess", "grab",
                    "begin", "locked"}))
    return true;
  return configSays(FD, Cfg, /*Acquire=*/true);
}

bool isReleaseFunction(const FunctionDecl *FD, const Config &Cfg) {
  if (FD->hasAttr<ReleaseCapabilityAttr>())
    return true;
  if (nameSays(FD, {"unlock", "release", "exit", "leave", "end", "drop"}))
    return true;
  return configSays(FD, Cfg, /*Acquire=*/false);
}

const Expr *guardingCondition(const ParentMap &PM, const Stmt *S) {
  const Stmt *Child = S;
  for (const Stmt *P = PM.getParent(S); P; Child = P, P = PM.getParent(P)) {
    if (const auto *If = dyn_cast<IfStmt>(P))
      if (If->getThen() == Child)
        return If->getCond();
  }
  return nullptr;
}

bool sameCondition(const Expr *A, const Expr *B, const ASTContext &AST) {
  if (!A || !B)
    return false;
  llvm::FoldingSetNodeID IA, IB;
  A->IgnoreParenImpCasts()->Profile(IA, AST, /*Canonical=*/true);
  B->IgnoreParenImpCasts()->Profile(IB, AST, /*Canonical=*/true);
  return IA == IB;
}

bool tryResultKept(const FunctionLocks &FL, const Stmt *TryCall) {
  const Stmt *Body = FL.function()->getBody();
  if (!Body || !TryCall)
    return false;
  ParentMap PM(const_cast<Stmt *>(Body));
  const Stmt *P = PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(TryCall));
  if (isa_and_nonnull<DeclStmt>(P))
    return true;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P))
    return BO->isAssignmentOp();
  return false;
}

/// Whether one condition is the other negated: `!x` and `x`.
bool complementary(const Expr *A, const Expr *B, const ASTContext &AST) {
  if (!A || !B)
    return false;
  auto Negated = [](const Expr *E) -> const Expr * {
    if (const auto *U = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts()))
      if (U->getOpcode() == UO_LNot)
        return U->getSubExpr();
    return nullptr;
  };
  if (const Expr *NA = Negated(A))
    return sameCondition(NA, B, AST);
  if (const Expr *NB = Negated(B))
    return sameCondition(A, NB, AST);
  return false;
}

bool adoptsLock(const LockEvent &E) {
  if (!E.Guard || E.API || E.Implicit || !E.Guard->getInit())
    return false;
  const Expr *Init = E.Guard->getInit()->IgnoreImplicit();
  if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(Init))
    Init = Cast->getSubExpr()->IgnoreImplicit();
  const auto *Construct = dyn_cast<CXXConstructExpr>(Init);
  if (!Construct)
    return false;
  for (const Expr *Arg : Construct->arguments())
    if (const auto *RD = Arg->getType()->getAsCXXRecordDecl())
      if (RD->getName() == "adopt_lock_t")
        return true;
  return false;
}

} // namespace snag
