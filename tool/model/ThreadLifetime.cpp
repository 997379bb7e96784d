//===- ThreadLifetime.cpp - Fates of started threads, joinable dataflow ---===//
#include "model/ThreadLifetime.h"
#include "check/Analyses.h"
#include "model/FunctionCFG.h"
#include "model/UserCodeVisitor.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace snag {

//===----------------------------------------------------------------------===//
// Small AST helpers
//===----------------------------------------------------------------------===//

bool isWithin(const Stmt *S, const Stmt *Outer, const SourceManager &SM) {
  if (!S || !Outer)
    return false;
  SourceRange R = Outer->getSourceRange();
  SourceLocation L = S->getBeginLoc();
  return !SM.isBeforeInTranslationUnit(L, R.getBegin()) &&
         !SM.isBeforeInTranslationUnit(R.getEnd(), L);
}

/// The first parent of \p N that is not an implicit wrapper of an
/// expression (casts, temporaries, parentheses, cleanups).
static DynTypedNode meaningfulParent(ASTContext &AST, DynTypedNode N,
                                     const Stmt **Child = nullptr) {
  for (int Depth = 0; Depth < 32; ++Depth) {
    auto Parents = AST.getParents(N);
    if (Parents.empty())
      return DynTypedNode();
    DynTypedNode P = Parents[0];
    const Stmt *S = P.get<Stmt>();
    if (S && (llvm::isa<ImplicitCastExpr>(S) || llvm::isa<ParenExpr>(S) ||
              llvm::isa<MaterializeTemporaryExpr>(S) ||
              llvm::isa<CXXBindTemporaryExpr>(S) ||
              llvm::isa<ExprWithCleanups>(S) ||
              llvm::isa<CXXFunctionalCastExpr>(S))) {
      N = P;
      continue;
    }
    if (Child)
      *Child = N.get<Stmt>();
    return P;
  }
  return DynTypedNode();
}

const Stmt *scopeOf(ASTContext &AST, const VarDecl *VD) {
  DynTypedNode N = DynTypedNode::create(*VD);
  for (int Depth = 0; Depth < 64; ++Depth) {
    auto Parents = AST.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
    if (const Stmt *S = N.get<Stmt>())
      if (llvm::isa<CompoundStmt>(S) || llvm::isa<ForStmt>(S) ||
          llvm::isa<CXXForRangeStmt>(S) || llvm::isa<IfStmt>(S) ||
          llvm::isa<WhileStmt>(S) || llvm::isa<SwitchStmt>(S))
        return S;
    if (N.get<FunctionDecl>())
      return nullptr;
  }
  return nullptr;
}

static bool isStdMove(const Expr *E) {
  const auto *CE = llvm::dyn_cast<CallExpr>(E);
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  return FD && FD->isInStdNamespace() && FD->getIdentifier() &&
         FD->getName() == "move" && CE->getNumArgs() == 1;
}

static bool isOwning(QualType T) {
  return isStdThreadType(T) || isJThreadType(T);
}

//===----------------------------------------------------------------------===//
// Every handle operation in the TU
//===----------------------------------------------------------------------===//

namespace {
class OpCollector : public UserCodeVisitor<OpCollector> {
public:
  OpCollector(TUContext &Ctx, std::vector<HandleOpSite> &Out)
      : Ctx(Ctx), Model(threadModel(Ctx)), Out(Out) {}
  bool shouldVisitLambdaBodies() const { return true; }
  bool VisitCallExpr(CallExpr *CE) {
    if (!Ctx.isUserCode(CE->getBeginLoc()))
      return true;
    if (auto Op = Model.handleOp(CE)) {
      HandleOpSite Site;
      Site.Op = *Op;
      Site.Decl = handleDecl(Op->Handle);
      Site.Caller = enclosingFunction(Ctx.AST, CE);
      Out.push_back(Site);
    }
    return true;
  }

private:
  TUContext &Ctx;
  const ThreadModel &Model;
  std::vector<HandleOpSite> &Out;
};

struct LifetimeCache {
  const void *Key = nullptr;
  bool HaveOps = false;
  std::vector<HandleOpSite> Ops;
  llvm::DenseMap<const FunctionDecl *, int> Throws; // -1 computing, 0, 1
  llvm::DenseMap<const FunctionDecl *, const FunctionDecl *> Thrower;
};
thread_local LifetimeCache Cache;

LifetimeCache &cacheFor(TUContext &Ctx) {
  if (Cache.Key != tuKey(Ctx)) {
    Cache = LifetimeCache();
    Cache.Key = tuKey(Ctx);
  }
  return Cache;
}
} // namespace

const std::vector<HandleOpSite> &threadHandleOps(TUContext &Ctx) {
  LifetimeCache &C = cacheFor(Ctx);
  if (!C.HaveOps) {
    OpCollector(Ctx, C.Ops).TraverseDecl(Ctx.AST.getTranslationUnitDecl());
    C.HaveOps = true;
  }
  return C.Ops;
}

//===----------------------------------------------------------------------===//
// May a call throw?
//===----------------------------------------------------------------------===//

static bool functionMayThrow(TUContext &Ctx, const FunctionDecl *FD,
                             int Depth);

namespace {
/// Looks for a throw or a throwing call in a body, outside try blocks that
/// catch everything.
class ThrowFinder : public RecursiveASTVisitor<ThrowFinder> {
public:
  ThrowFinder(TUContext &Ctx, int Depth) : Ctx(Ctx), Depth(Depth) {}
  bool Found = false;
  const FunctionDecl *Thrower = nullptr;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseCXXTryStmt(CXXTryStmt *T) {
    for (unsigned I = 0; I < T->getNumHandlers(); ++I)
      if (!T->getHandler(I)->getExceptionDecl())
        return TraverseStmt(T->getHandler(I)); // catch (...) swallows the try
    return RecursiveASTVisitor::TraverseCXXTryStmt(T);
  }
  bool VisitCXXThrowExpr(CXXThrowExpr *) {
    Found = true;
    return false;
  }
  bool VisitCallExpr(CallExpr *CE) {
    return visitCallee(CE->getDirectCallee());
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    return visitCallee(CE->getConstructor());
  }

private:
  bool visitCallee(const FunctionDecl *FD) {
    if (FD && functionMayThrow(Ctx, FD, Depth + 1)) {
      Found = true;
      Thrower = FD;
      return false;
    }
    return true;
  }
  TUContext &Ctx;
  int Depth;
};
} // namespace

static bool isNothrow(const FunctionDecl *FD) {
  if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>())
    return FPT->isNothrow();
  return false;
}

static bool functionMayThrow(TUContext &Ctx, const FunctionDecl *FD,
                             int Depth) {
  if (!FD || Depth > 6 || isNothrow(FD) || FD->isExternC())
    return false;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->getBody() || !Ctx.isUserCode(Def->getLocation()))
    return false;
  LifetimeCache &C = cacheFor(Ctx);
  auto [It, New] = C.Throws.try_emplace(Def, -1);
  if (!New)
    return It->second == 1; // computing (recursion) counts as no
  ThrowFinder Finder(Ctx, Depth);
  Finder.TraverseStmt(Def->getBody());
  C.Throws[Def] = Finder.Found ? 1 : 0;
  return Finder.Found;
}

bool mayThrow(TUContext &Ctx, const Stmt *S, const FunctionDecl **Thrower) {
  if (Thrower)
    *Thrower = nullptr;
  if (llvm::isa<CXXThrowExpr>(S))
    return true;
  const FunctionDecl *FD = nullptr;
  if (const auto *CE = llvm::dyn_cast<CallExpr>(S))
    FD = CE->getDirectCallee();
  else if (const auto *CCE = llvm::dyn_cast<CXXConstructExpr>(S))
    FD = CCE->getConstructor();
  if (!FD || !functionMayThrow(Ctx, FD, 0))
    return false;
  if (Thrower)
    *Thrower = FD;
  return true;
}

//===----------------------------------------------------------------------===//
// Fates of starts
//===----------------------------------------------------------------------===//

/// Whether a declaration outlives the function that uses it: a field, a
/// global, a static local, a reference or pointer parameter.
static bool outlivesFunction(const ValueDecl *D) {
  if (!D)
    return true;
  if (llvm::isa<FieldDecl>(D))
    return true;
  if (const auto *VD = llvm::dyn_cast<VarDecl>(D)) {
    if (!VD->hasLocalStorage())
      return true;
    if (llvm::isa<ParmVarDecl>(VD) &&
        (VD->getType()->isReferenceType() || VD->getType()->isPointerType()))
      return true;
    return false;
  }
  return true;
}

/// Follows a started std::thread temporary to where it goes.
static void placeTemporary(TUContext &Ctx, const Expr *Start, StartFate &F) {
  ASTContext &AST = Ctx.AST;
  DynTypedNode N = DynTypedNode::create(*Start);
  for (int Depth = 0; Depth < 8; ++Depth) {
    const Stmt *Child = nullptr;
    DynTypedNode P = meaningfulParent(AST, N, &Child);
    if (const auto *VD = P.get<VarDecl>()) {
      F.Owners.push_back(VD);
      return;
    }
    if (const auto *Init = P.get<CXXCtorInitializer>()) {
      if (Init->getMember())
        F.Owners.push_back(Init->getMember());
      return;
    }
    if (const auto *Ctor = P.get<CXXConstructorDecl>()) {
      // The parent map may skip the initializer: find it by its expression.
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getMember() && Init->getInit() &&
            Init->getInit()->IgnoreImplicit() ==
                (Child ? llvm::cast<Expr>(Child) : Start)->IgnoreImplicit()) {
          F.Owners.push_back(Init->getMember());
          return;
        }
    }
    const Stmt *S = P.get<Stmt>();
    if (!S) {
      F.HandedOff = Start;
      F.OutlivesCaller = true;
      return;
    }
    if (const auto *CCE = llvm::dyn_cast<CXXConstructExpr>(S);
        CCE && isOwning(CCE->getType()) && CCE->getNumArgs() == 1) {
      N = P; // a move construction: keep following
      continue;
    }
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(S)) {
      // std::thread(f).detach() / .join()
      auto Call = meaningfulParent(AST, P);
      if (const auto *MC = Call.get<CXXMemberCallExpr>())
        if (auto Op = threadModel(Ctx).handleOp(MC)) {
          if (Op->Kind == ThreadOpKind::Join)
            F.Joins.push_back(MC);
          else if (Op->Kind == ThreadOpKind::Detach)
            F.Detach = MC;
          else
            F.Discarded = true;
          return;
        }
      (void)ME;
      F.Discarded = true;
      return;
    }
    if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(S);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
      const ValueDecl *D = handleDecl(OC->getArg(0));
      if (D)
        F.Owners.push_back(D);
      else
        F.HandedOff = OC;
      return;
    }
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(S)) {
      // threads.push_back(std::thread(f)), insert, emplace...
      if (isThreadContainerType(MC->getImplicitObjectArgument()->getType()))
        if (const ValueDecl *D = handleDecl(MC->getImplicitObjectArgument())) {
          F.Owners.push_back(D);
          return;
        }
    }
    if (llvm::isa<CallExpr>(S) || llvm::isa<CXXConstructExpr>(S) ||
        llvm::isa<ReturnStmt>(S) || llvm::isa<InitListExpr>(S)) {
      F.HandedOff = S;
      F.OutlivesCaller = true;
      return;
    }
    if (llvm::isa<CompoundStmt>(S) || llvm::isa<Expr>(S) == false) {
      F.Discarded = true;
      return;
    }
    F.HandedOff = S;
    F.OutlivesCaller = true;
    return;
  }
}

/// How a use of a local handle hands it off: returns the handle it is moved
/// into (a local), or sets HandedOff.
static const ValueDecl *followUse(TUContext &Ctx, const DeclRefExpr *Use,
                                  StartFate &F) {
  ASTContext &AST = Ctx.AST;
  DynTypedNode N = DynTypedNode::create(*Use);
  const Stmt *Child = nullptr;
  DynTypedNode P = meaningfulParent(AST, N, &Child);
  const Stmt *S = P.get<Stmt>();
  if (!S)
    return nullptr;
  if (llvm::isa<MemberExpr>(S))
    return nullptr; // t.join(), t.get_id(): the handle ops say the rest
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(S))
    if (OC->getOperator() == OO_Equal && OC->getArg(0) == Child)
      return nullptr; // assigned to, not handed off
  if (const auto *CE = llvm::dyn_cast<CallExpr>(S)) {
    // Thread APIs that take the handle by value: pthread_join(t, ...).
    if (threadModel(Ctx).handleOp(CE))
      return nullptr;
    if (isStdMove(CE)) {
      const Stmt *MoveChild = nullptr;
      DynTypedNode Q = meaningfulParent(AST, P, &MoveChild);
      for (int I = 0; I < 4; ++I) {
        const auto *CCE = Q.get<CXXConstructExpr>();
        if (!CCE || !isOwning(CCE->getType()))
          break;
        Q = meaningfulParent(AST, Q, &MoveChild);
      }
      if (const auto *VD = Q.get<VarDecl>())
        if (!outlivesFunction(VD))
          return VD;
      if (const auto *OC = Q.get<CXXOperatorCallExpr>())
        if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
          if (const ValueDecl *D = handleDecl(OC->getArg(0)))
            if (!outlivesFunction(D))
              return D;
      if (const auto *MC = Q.get<CXXMemberCallExpr>())
        if (isThreadContainerType(MC->getImplicitObjectArgument()->getType()))
          if (const ValueDecl *D = handleDecl(MC->getImplicitObjectArgument()))
            if (!outlivesFunction(D))
              return D;
      F.HandedOff = CE;
      F.OutlivesCaller = true;
      return nullptr;
    }
  }
  if (llvm::isa<ReturnStmt>(S)) {
    F.HandedOff = S;
    F.OutlivesCaller = true;
    return nullptr;
  }
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(S)) {
    if (U->getOpcode() != UO_AddrOf)
      return nullptr;
    // &t passed to pthread_create is the start itself.
    auto Q = meaningfulParent(AST, P);
    if (const auto *CE = Q.get<CallExpr>())
      if (threadModel(Ctx).start(CE) || threadModel(Ctx).handleOp(CE))
        return nullptr;
  }
  if (llvm::isa<ArraySubscriptExpr>(S) || llvm::isa<BinaryOperator>(S) ||
      llvm::isa<CXXForRangeStmt>(S) || llvm::isa<DeclStmt>(S))
    return nullptr;
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(S))
    if (OC->getOperator() == OO_Subscript || OC->getOperator() == OO_Star ||
        OC->getOperator() == OO_Arrow)
      return nullptr;
  if (const auto *VD = P.get<VarDecl>()) {
    // auto &r = threads; for (auto &t : threads): an alias or a loop.
    (void)VD;
    return nullptr;
  }
  // Passed by reference (a helper that joins, a RAII joiner), captured by
  // reference, address taken: lent, and snag does not follow it further.
  if (!F.HandedOff)
    F.HandedOff = S;
  return nullptr;
}

namespace {
class UseCollector : public RecursiveASTVisitor<UseCollector> {
public:
  UseCollector(const ValueDecl *D) : D(D) {}
  bool shouldVisitLambdaBodies() const { return false; }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == D)
      Uses.push_back(E);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCapturedVar() == D &&
          C.getCaptureKind() == LCK_ByRef)
        Captures.push_back(L);
    return true;
  }
  const ValueDecl *D;
  std::vector<const DeclRefExpr *> Uses;
  std::vector<const LambdaExpr *> Captures;
};
} // namespace

/// pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) on the
/// attribute a pthread_create uses.
static const Stmt *detachedAttribute(const ThreadStartSite &Site) {
  const auto *CE = llvm::dyn_cast<CallExpr>(Site.Start.Call);
  if (!CE || Site.Start.Flavor != ThreadFlavor::Pthread ||
      CE->getNumArgs() < 2 || !Site.Caller || !Site.Caller->getBody())
    return nullptr;
  const ValueDecl *Attr = handleDecl(CE->getArg(1));
  if (!Attr)
    return nullptr;
  struct Finder : RecursiveASTVisitor<Finder> {
    const ValueDecl *Attr;
    const Stmt *Found = nullptr;
    bool VisitCallExpr(CallExpr *C) {
      const FunctionDecl *FD = C->getDirectCallee();
      if (FD && FD->getIdentifier() &&
          FD->getName() == "pthread_attr_setdetachstate" &&
          C->getNumArgs() == 2 && handleDecl(C->getArg(0)) == Attr) {
        Expr::EvalResult R;
        if (C->getArg(1)->EvaluateAsInt(R, FD->getASTContext()) &&
            R.Val.getInt() == 1) // PTHREAD_CREATE_DETACHED
          Found = C;
      }
      return true;
    }
  } F;
  F.Attr = Attr;
  F.TraverseStmt(Site.Caller->getBody());
  return F.Found;
}

StartFate fateOf(TUContext &Ctx, const ThreadStartSite &Site) {
  StartFate F;
  const ThreadStart &S = Site.Start;
  F.JoinsOnDestruction = S.JoinsOnDestruction;
  if (S.Flavor == ThreadFlavor::Pthread || S.Flavor == ThreadFlavor::C11 ||
      S.IntoContainer || S.UserHandle) {
    if (const ValueDecl *D = handleDecl(S.Handle))
      F.Owners.push_back(D);
    else
      F.HandedOff = S.Call; // a handle snag cannot name
  } else if (S.ownedByPool()) {
    F.HandedOff = S.Call; // the user's pool owns it
  } else {
    placeTemporary(Ctx, S.Call, F);
  }
  if (!F.Detach)
    F.Detach = detachedAttribute(Site);

  // Follow the owner through moves into other locals; collect the joins and
  // detaches of every owner.
  const auto &Ops = threadHandleOps(Ctx);
  for (unsigned I = 0; I < F.Owners.size() && I < 8; ++I) {
    const ValueDecl *D = F.Owners[I];
    bool Local = !outlivesFunction(D);
    for (const HandleOpSite &Op : Ops) {
      if (Op.Decl != D || (Local && Op.Caller != Site.Caller))
        continue;
      if (Op.Op.Kind == ThreadOpKind::Join)
        F.Joins.push_back(Op.Op.Call);
      else if (Op.Op.Kind == ThreadOpKind::Detach && !F.Detach)
        F.Detach = Op.Op.Call;
    }
    if (!Local || !Site.Caller || !Site.Caller->getBody())
      continue;
    UseCollector Uses(D);
    Uses.TraverseStmt(Site.Caller->getBody());
    for (const DeclRefExpr *Use : Uses.Uses)
      if (const ValueDecl *Next = followUse(Ctx, Use, F))
        if (!llvm::is_contained(F.Owners, Next))
          F.Owners.push_back(Next);
    if (!Uses.Captures.empty() && !F.HandedOff)
      F.HandedOff = Uses.Captures.front();
  }
  // A thread that detaches itself: pthread_detach(pthread_self()).
  if (!F.Detach && S.Entry)
    for (const HandleOpSite &Op : Ops)
      if (Op.Op.OnSelf && Op.Op.Kind == ThreadOpKind::Detach &&
          Op.Caller == S.Entry->getDefinition())
        F.Detach = Op.Op.Call;
  return F;
}

//===----------------------------------------------------------------------===//
// Joinable at destruction: a may-dataflow over the CFG
//===----------------------------------------------------------------------===//

namespace {
/// For each tracked variable, the start that may leave it joinable here.
using JoinState = llvm::SmallVector<const Stmt *, 4>;

class JoinableFlow {
public:
  JoinableFlow(TUContext &Ctx, const FunctionDecl *FD, const CFG &G)
      : Ctx(Ctx), FD(FD), G(G), Model(threadModel(Ctx)) {}

  std::vector<JoinableLeak> run();

private:
  int indexOf(const ValueDecl *D) const {
    auto It = Index.find(D);
    return It == Index.end() ? -1 : It->second;
  }
  void transfer(const CFGElement &E, JoinState &S, bool Report);
  void throwFrom(const Stmt *At, const FunctionDecl *Thrower,
                 const JoinState &S, bool Report);
  void leak(unsigned Var, const Stmt *Start, JoinableLeak::Kind How,
            const Stmt *Where, const FunctionDecl *Thrower);
  bool merge(JoinState &Into, const JoinState &From);
  const Stmt *moveTarget(const CallExpr *Move, int &Target);

  TUContext &Ctx;
  const FunctionDecl *FD;
  const CFG &G;
  const ThreadModel &Model;
  llvm::SmallVector<const VarDecl *, 4> Vars;
  llvm::DenseMap<const ValueDecl *, int> Index;
  std::vector<JoinState> In;
  std::vector<bool> Seeded;
  llvm::DenseMap<const Stmt *, const CFGBlock *> HandlerBlock;
  std::vector<const CFGBlock *> Work;
  std::vector<JoinableLeak> Leaks;
};

bool JoinableFlow::merge(JoinState &Into, const JoinState &From) {
  bool Changed = false;
  for (unsigned I = 0; I < Into.size(); ++I)
    if (!Into[I] && From[I]) {
      Into[I] = From[I];
      Changed = true;
    }
  return Changed;
}

void JoinableFlow::leak(unsigned Var, const Stmt *Start, JoinableLeak::Kind How,
                        const Stmt *Where, const FunctionDecl *Thrower) {
  bool Exceptional = How == JoinableLeak::Exception;
  for (const JoinableLeak &L : Leaks)
    if (L.Var == Vars[Var] &&
        (L.How == JoinableLeak::Exception) == Exceptional)
      return;
  Leaks.push_back({Vars[Var], Start, How, Where, Thrower});
}

/// Where an exception thrown at \p At goes: the enclosing try in this
/// function (whose handlers receive it) or out of the function.
void JoinableFlow::throwFrom(const Stmt *At, const FunctionDecl *Thrower,
                             const JoinState &S, bool Report) {
  if (isNothrow(FD))
    return; // std::terminate either way: not this rule's business
  ASTContext &AST = Ctx.AST;
  const SourceManager &SM = AST.getSourceManager();
  DynTypedNode N = DynTypedNode::create(*At);
  const CXXTryStmt *Try = nullptr;
  const Stmt *Child = At;
  for (int Depth = 0; Depth < 256 && !Try; ++Depth) {
    auto Parents = AST.getParents(N);
    if (Parents.empty())
      break;
    N = Parents[0];
    const Stmt *P = N.get<Stmt>();
    if (!P)
      break;
    if (llvm::isa<LambdaExpr>(P))
      return;
    if (const auto *T = llvm::dyn_cast<CXXTryStmt>(P))
      if (Child == T->getTryBlock())
        Try = T;
    Child = P;
  }
  JoinState ToHandler(Vars.size(), nullptr);
  for (unsigned I = 0; I < Vars.size(); ++I) {
    if (!S[I])
      continue;
    // The variable dies in the unwinding unless it is declared outside
    // the try that catches.
    bool Survives = false;
    if (Try) {
      SourceLocation DL = Vars[I]->getLocation();
      SourceRange TR = Try->getTryBlock()->getSourceRange();
      Survives = SM.isBeforeInTranslationUnit(DL, TR.getBegin()) ||
                 SM.isBeforeInTranslationUnit(TR.getEnd(), DL);
    }
    if (Survives)
      ToHandler[I] = S[I];
    else if (Report)
      leak(I, S[I], JoinableLeak::Exception, At, Thrower);
  }
  if (!Try)
    return;
  for (unsigned H = 0; H < Try->getNumHandlers(); ++H) {
    const CFGBlock *B = HandlerBlock.lookup(Try->getHandler(H));
    if (!B)
      continue;
    if (merge(In[B->getBlockID()], ToHandler) || !Seeded[B->getBlockID()]) {
      Seeded[B->getBlockID()] = true;
      Work.push_back(B);
    }
  }
}

const Stmt *JoinableFlow::moveTarget(const CallExpr *Move, int &Target) {
  Target = -1;
  ASTContext &AST = Ctx.AST;
  DynTypedNode Q = meaningfulParent(AST, DynTypedNode::create(*Move));
  for (int I = 0; I < 4; ++I) {
    const auto *CCE = Q.get<CXXConstructExpr>();
    if (!CCE || !isOwning(CCE->getType()))
      break;
    Q = meaningfulParent(AST, Q);
  }
  if (const auto *VD = Q.get<VarDecl>())
    Target = indexOf(VD);
  else if (const auto *OC = Q.get<CXXOperatorCallExpr>())
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      Target = indexOf(handleDecl(OC->getArg(0)));
  return nullptr;
}

void JoinableFlow::transfer(const CFGElement &E, JoinState &S, bool Report) {
  if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
    int I = indexOf(D->getVarDecl());
    if (I < 0 || !S[I])
      return;
    const Stmt *Trigger = D->getTriggerStmt();
    if (Report)
      leak(I, S[I],
           llvm::isa_and_nonnull<ReturnStmt>(Trigger) ? JoinableLeak::Return
                                                      : JoinableLeak::ScopeEnd,
           Trigger, nullptr);
    S[I] = nullptr;
    return;
  }
  auto CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *St = CS->getStmt();
  if (const auto *DS = llvm::dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls()) {
      int I = indexOf(llvm::dyn_cast<ValueDecl>(D));
      if (I < 0)
        continue;
      const Expr *Init = Vars[I]->getInit();
      const Expr *Src = Init ? stripHandle(Init) : nullptr;
      if (!Init || (Init != Src && llvm::isa<DeclRefExpr>(Src)))
        continue; // default-constructed, or moved in (done at the move)
      if (const auto *CCE = llvm::dyn_cast<CXXConstructExpr>(Src);
          CCE && CCE->getNumArgs() == 0)
        S[I] = nullptr;
      else if (isStdMove(Init->IgnoreImplicit()))
        continue;
      else
        S[I] = Src; // a start, or a thread produced by a call
    }
    return;
  }
  if (const auto *CE = llvm::dyn_cast<CallExpr>(St)) {
    if (isStdMove(CE)) {
      int From = indexOf(handleDecl(CE->getArg(0)));
      int To;
      moveTarget(CE, To);
      if (From >= 0) {
        if (To >= 0)
          S[To] = S[From];
        S[From] = nullptr;
      }
      return;
    }
    if (auto Op = Model.handleOp(CE)) {
      int I = indexOf(handleDecl(Op->Handle));
      if (I >= 0 && (Op->Kind == ThreadOpKind::Join ||
                     Op->Kind == ThreadOpKind::Detach))
        S[I] = nullptr;
      return;
    }
    if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(CE);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
      int To = indexOf(handleDecl(OC->getArg(0)));
      if (To >= 0) {
        const Expr *Src = stripHandle(OC->getArg(1));
        if (isStdMove(OC->getArg(1)->IgnoreImplicit()) ||
            (Src != OC->getArg(1) && llvm::isa<DeclRefExpr>(Src)))
          return; // moved from another local: done at the move
        const auto *CCE = llvm::dyn_cast<CXXConstructExpr>(Src);
        S[To] = (CCE && CCE->getNumArgs() == 0) ? nullptr : Src;
        return;
      }
    }
  }
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(St)) {
    int I = indexOf(DRE->getDecl());
    if (I < 0 || !S[I])
      return;
    StartFate Scratch;
    followUse(Ctx, DRE, Scratch);
    if (Scratch.HandedOff && !isStdMove(llvm::dyn_cast<Expr>(Scratch.HandedOff)))
      S[I] = nullptr; // returned, lent to a helper, captured: not ours now
    return;
  }
  if (const auto *L = llvm::dyn_cast<LambdaExpr>(St)) {
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef) {
        int I = indexOf(C.getCapturedVar());
        if (I >= 0)
          S[I] = nullptr;
      }
    return;
  }
  if (llvm::isa<CallExpr>(St) || llvm::isa<CXXConstructExpr>(St) ||
      llvm::isa<CXXThrowExpr>(St)) {
    if (llvm::none_of(S, [](const Stmt *X) { return X != nullptr; }))
      return;
    const FunctionDecl *Thrower = nullptr;
    if (!Model.start(llvm::cast<Expr>(St)) && mayThrow(Ctx, St, &Thrower))
      throwFrom(St, Thrower, S, Report);
  }
}

std::vector<JoinableLeak> JoinableFlow::run() {
  struct VarFinder : RecursiveASTVisitor<VarFinder> {
    bool shouldVisitLambdaBodies() const { return false; }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitVarDecl(VarDecl *VD) {
      if (VD->hasLocalStorage() && !llvm::isa<ParmVarDecl>(VD) &&
          !VD->getType()->isReferenceType() && isStdThreadType(VD->getType()))
        Vars.push_back(VD);
      return true;
    }
    llvm::SmallVector<const VarDecl *, 4> Vars;
  } Finder;
  Finder.TraverseStmt(FD->getBody());
  if (Finder.Vars.empty())
    return {};
  Vars = Finder.Vars;
  for (unsigned I = 0; I < Vars.size(); ++I)
    Index[Vars[I]] = I;

  In.assign(G.getNumBlockIDs(), JoinState(Vars.size(), nullptr));
  Seeded.assign(G.getNumBlockIDs(), false);
  for (const CFGBlock *B : G)
    if (const Stmt *Label = B->getLabel())
      if (llvm::isa<CXXCatchStmt>(Label))
        HandlerBlock[Label] = B;

  // Iterate to a fixpoint, then walk once more to report.
  for (int Round = 0; Round < 2; ++Round) {
    bool Report = Round == 1;
    Work.clear();
    std::fill(Seeded.begin(), Seeded.end(), false);
    Work.push_back(&G.getEntry());
    Seeded[G.getEntry().getBlockID()] = true;
    unsigned Steps = 0;
    llvm::DenseSet<const CFGBlock *> Visited;
    while (!Work.empty() && Steps++ < 20000) {
      const CFGBlock *B = Work.back();
      Work.pop_back();
      if (Report && !Visited.insert(B).second)
        continue;
      JoinState S = In[B->getBlockID()];
      for (const CFGElement &E : *B)
        transfer(E, S, Report);
      // A joinable() guard: on the branch where it is false, not joinable.
      const Stmt *Cond = B->getTerminatorCondition();
      int Guarded = -1;
      bool Negated = false;
      if (const auto *CondE = llvm::dyn_cast_or_null<Expr>(Cond)) {
        const Expr *C = CondE->IgnoreParenImpCasts();
        if (const auto *U = llvm::dyn_cast<UnaryOperator>(C);
            U && U->getOpcode() == UO_LNot) {
          Negated = true;
          C = U->getSubExpr()->IgnoreParenImpCasts();
        }
        if (auto Op = Model.handleOp(C);
            Op && Op->Kind == ThreadOpKind::Joinable)
          Guarded = indexOf(handleDecl(Op->Handle));
      }
      unsigned SuccIndex = 0;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
        unsigned Which = SuccIndex++;
        const CFGBlock *Next = Succ.getReachableBlock();
        if (!Next)
          continue;
        // Catch blocks are entered only through throwFrom.
        if (const Stmt *T = B->getTerminatorStmt();
            T && llvm::isa<CXXTryStmt>(T))
          continue;
        JoinState Out = S;
        if (Guarded >= 0 && Which == (Negated ? 0u : 1u))
          Out[Guarded] = nullptr;
        bool Changed = merge(In[Next->getBlockID()], Out);
        if (Report ? !Visited.count(Next)
                   : (Changed || !Seeded[Next->getBlockID()])) {
          Seeded[Next->getBlockID()] = true;
          Work.push_back(Next);
        }
      }
    }
  }
  return Leaks;
}
} // namespace

std::vector<JoinableLeak> joinableAtDestruction(TUContext &Ctx,
                                                const FunctionDecl *FD) {
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return {};
  struct Probe : RecursiveASTVisitor<Probe> {
    bool Found = false;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitVarDecl(VarDecl *VD) {
      Found |= VD->hasLocalStorage() && isStdThreadType(VD->getType()) &&
               !VD->getType()->isReferenceType();
      return !Found;
    }
  } P;
  P.TraverseStmt(FD->getBody());
  if (!P.Found)
    return {};
  const CFG *G = functionCFG(Ctx, FD);
  if (!G)
    return {};
  return JoinableFlow(Ctx, FD, *G).run();
}

//===----------------------------------------------------------------------===//
// Loops with no stop path
//===----------------------------------------------------------------------===//

namespace {
/// Whether a loop body has a way out: break (of this loop), return, throw,
/// goto, or a call that does not return.
class ExitFinder : public RecursiveASTVisitor<ExitFinder> {
public:
  bool Found = false;
  int Nesting = 0; // loops and switches inside the loop: their break is theirs
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitReturnStmt(ReturnStmt *) { return !(Found = true); }
  bool VisitCXXThrowExpr(CXXThrowExpr *) { return !(Found = true); }
  bool VisitGotoStmt(GotoStmt *) { return !(Found = true); }
  bool VisitBreakStmt(BreakStmt *) {
    if (Nesting == 0)
      Found = true;
    return !Found;
  }
  bool VisitCallExpr(CallExpr *CE) {
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (endsThreadOnPurpose(FD))
        Found = true;
    return !Found;
  }

private:
  /// exit(), pthread_exit() and the user's own noreturn functions end the
  /// thread or the process when the program decides to. A failed assert(),
  /// abort() or std::terminate() crashes on a broken invariant instead: no
  /// other thread can use one to stop the loop.
  static bool endsThreadOnPurpose(const FunctionDecl *FD) {
    llvm::StringRef Name = FD->getIdentifier() ? FD->getName() : "";
    if (llvm::is_contained({"abort", "__assert_fail", "__assert_rtn",
                            "__assert", "_assert", "__assert2", "terminate",
                            "__builtin_trap", "__builtin_unreachable"},
                           Name))
      return false;
    return FD->isNoReturn() || FD->hasAttr<NoReturnAttr>() ||
           FD->hasAttr<CXX11NoReturnAttr>() ||
           llvm::is_contained({"exit", "_exit", "_Exit", "pthread_exit",
                               "thrd_exit", "quick_exit"},
                              Name);
  }

public:
#define NESTED(CLASS)                                                          \
  bool Traverse##CLASS(CLASS *S) {                                             \
    ++Nesting;                                                                 \
    bool R = RecursiveASTVisitor::Traverse##CLASS(S);                          \
    --Nesting;                                                                 \
    return R;                                                                  \
  }
  NESTED(ForStmt)
  NESTED(WhileStmt)
  NESTED(DoStmt)
  NESTED(CXXForRangeStmt)
  NESTED(SwitchStmt)
#undef NESTED
};

/// Whether a loop condition can change: it reads anything but locals that
/// the loop leaves alone (a global, a field, an atomic, a call, memory
/// through a pointer).
class ConditionReader : public RecursiveASTVisitor<ConditionReader> {
public:
  explicit ConditionReader(const Stmt *Loop) : Loop(Loop) {}
  bool CanChange = false;
  llvm::SmallVector<const VarDecl *, 4> Locals;
  bool VisitCallExpr(CallExpr *) { return !(CanChange = true); }
  bool VisitCXXConstructExpr(CXXConstructExpr *) { return true; }
  bool VisitMemberExpr(MemberExpr *) { return !(CanChange = true); }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->getOpcode() == UO_Deref)
      CanChange = true;
    return !CanChange;
  }
  bool VisitArraySubscriptExpr(ArraySubscriptExpr *) {
    return !(CanChange = true);
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const auto *VD = llvm::dyn_cast<VarDecl>(E->getDecl());
    if (!VD)
      return true;
    if (!VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
        VD->getType().isVolatileQualified() ||
        VD->getType()->isAtomicType() || VD->getType()->isRecordType())
      CanChange = true;
    else
      Locals.push_back(VD);
    return !CanChange;
  }
  const Stmt *Loop;
};

/// Whether a local is written in a statement (assigned, incremented, its
/// address taken or bound to a reference).
class WriteFinder : public RecursiveASTVisitor<WriteFinder> {
public:
  explicit WriteFinder(const VarDecl *VD) : VD(VD) {}
  bool Found = false;
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() != VD)
      return true;
    // Any use as an lvalue that is not read: conservatively any non-load.
    Found = true; // refined by the caller's loads
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp() && refers(B->getLHS()))
      Writes = true;
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if ((U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf) &&
        refers(U->getSubExpr()))
      Writes = true;
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    for (const Expr *A : CE->arguments())
      if (!A->isPRValue() && refers(A))
        Writes = true; // bound to a reference parameter
    return true;
  }
  bool Writes = false;

private:
  bool refers(const Expr *E) {
    const auto *D = llvm::dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return D && D->getDecl() == VD;
  }
  const VarDecl *VD;
};

const Stmt *foreverLoopIn(const Stmt *Body, const FunctionDecl *FD) {
  struct LoopFinder : RecursiveASTVisitor<LoopFinder> {
    llvm::SmallVector<const Stmt *, 4> Loops;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitWhileStmt(WhileStmt *S) { return add(S); }
    bool VisitDoStmt(DoStmt *S) { return add(S); }
    bool VisitForStmt(ForStmt *S) { return add(S); }
    bool add(const Stmt *S) {
      Loops.push_back(S);
      return true;
    }
  } Finder;
  Finder.TraverseStmt(const_cast<Stmt *>(Body));
  ASTContext &AST = FD->getASTContext();
  for (const Stmt *Loop : Finder.Loops) {
    const Expr *Cond = nullptr;
    const Stmt *LoopBody = nullptr;
    if (const auto *W = llvm::dyn_cast<WhileStmt>(Loop))
      Cond = W->getCond(), LoopBody = W->getBody();
    else if (const auto *D = llvm::dyn_cast<DoStmt>(Loop))
      Cond = D->getCond(), LoopBody = D->getBody();
    else if (const auto *F = llvm::dyn_cast<ForStmt>(Loop))
      Cond = F->getCond(), LoopBody = F->getBody();
    bool Forever = !Cond;
    if (Cond && !Cond->isValueDependent()) {
      bool Value = false;
      if (Cond->EvaluateAsBooleanCondition(Value, AST))
        Forever = Value;
      else {
        ConditionReader Reader(Loop);
        Reader.TraverseStmt(const_cast<Expr *>(Cond));
        if (!Reader.CanChange && !Reader.Locals.empty()) {
          Forever = true;
          for (const VarDecl *VD : Reader.Locals) {
            WriteFinder W(VD);
            W.TraverseStmt(const_cast<Stmt *>(Loop));
            if (W.Writes)
              Forever = false;
          }
        }
      }
    }
    if (!Forever || !LoopBody)
      continue;
    ExitFinder Exits;
    Exits.TraverseStmt(const_cast<Stmt *>(LoopBody));
    if (!Exits.Found)
      return Loop;
  }
  return nullptr;
}

const Stmt *searchForever(TUContext &Ctx, const FunctionDecl *FD,
                          const FunctionDecl **In, int Depth,
                          llvm::DenseSet<const FunctionDecl *> &Seen) {
  if (!FD || Depth > 3)
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->getBody() || !Seen.insert(Def).second ||
      !Ctx.isUserCode(Def->getLocation()))
    return nullptr;
  if (const Stmt *Loop = foreverLoopIn(Def->getBody(), Def)) {
    *In = Def;
    return Loop;
  }
  // Calls made on the way (not inside a loop that may end): the thread runs
  // them to completion, so a forever loop in one is the thread's.
  struct CallFinder : RecursiveASTVisitor<CallFinder> {
    llvm::SmallVector<const FunctionDecl *, 8> Callees;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitCallExpr(CallExpr *CE) {
      if (const FunctionDecl *C = CE->getDirectCallee())
        Callees.push_back(C);
      return true;
    }
  } Calls;
  Calls.TraverseStmt(Def->getBody());
  for (const FunctionDecl *C : Calls.Callees)
    if (const Stmt *Loop = searchForever(Ctx, C, In, Depth + 1, Seen))
      return Loop;
  return nullptr;
}
} // namespace

const Stmt *loopWithoutStopPath(TUContext &Ctx, const FunctionDecl *Entry,
                                const FunctionDecl **In) {
  llvm::DenseSet<const FunctionDecl *> Seen;
  const FunctionDecl *Where = nullptr;
  const Stmt *Loop = searchForever(Ctx, Entry, &Where, 0, Seen);
  if (In)
    *In = Where;
  return Loop;
}

} // namespace snag
