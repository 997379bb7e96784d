//===- CondvarWaitNoPredicate.cpp - condvar-wait-no-predicate -------------===//
//
// A condition-variable wait returns on spurious wakeups and misses a notify
// sent before it: the waiter must re-check its condition after waking,
// either through a predicate or a loop around the wait. This rule reports
// waits with neither. The table of waits is model/CondVars.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/CondVars.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace snag {

namespace {

bool isConstantCondition(const Expr *Cond, const ASTContext &AST,
                         bool &Value) {
  if (!Cond || Cond->isValueDependent() || Cond->isTypeDependent())
    return false;
  return Cond->EvaluateAsBooleanCondition(Value, AST);
}

/// Whether \p S holds a conditional way out of the loop whose body it is:
/// `if (ready) break;`, `if (stop) return;`. A `break` that belongs to an
/// inner loop or switch does not leave this loop.
bool hasConditionalExit(const Stmt *S, const ASTContext &AST,
                        bool UnderCondition, bool InInnerBreakable) {
  if (!S)
    return false;
  switch (S->getStmtClass()) {
  case Stmt::BreakStmtClass:
    return UnderCondition && !InInnerBreakable;
  case Stmt::ReturnStmtClass:
  case Stmt::GotoStmtClass:
  case Stmt::CXXThrowExprClass:
    return UnderCondition;
  case Stmt::LambdaExprClass:
  case Stmt::BlockExprClass:
    return false; // another function's control flow
  case Stmt::IfStmtClass: {
    const auto *If = cast<IfStmt>(S);
    bool Value;
    bool Reads = !isConstantCondition(If->getCond(), AST, Value);
    return hasConditionalExit(If->getThen(), AST, UnderCondition || Reads,
                              InInnerBreakable) ||
           hasConditionalExit(If->getElse(), AST, UnderCondition || Reads,
                              InInnerBreakable);
  }
  case Stmt::WhileStmtClass:
  case Stmt::DoStmtClass:
  case Stmt::ForStmtClass:
  case Stmt::CXXForRangeStmtClass:
  case Stmt::SwitchStmtClass: {
    // A switch selects on a value, so what it guards is conditional.
    bool Cond = UnderCondition || isa<SwitchStmt>(S);
    for (const Stmt *Child : S->children())
      if (hasConditionalExit(Child, AST, Cond, /*InInnerBreakable=*/true))
        return true;
    return false;
  }
  default:
    for (const Stmt *Child : S->children())
      if (hasConditionalExit(Child, AST, UnderCondition, InInnerBreakable))
        return true;
    return false;
  }
}

/// Whether \p Loop comes back to a condition before it runs its body again:
/// a condition that reads something (`while (!ready)`), or a conditional
/// exit inside an endless loop (`for (;;) { ...; if (ready) break; }`).
bool loopRechecks(const Stmt *Loop, const ASTContext &AST) {
  const Expr *Cond = nullptr;
  const Stmt *Body = nullptr;
  if (const auto *W = dyn_cast<WhileStmt>(Loop)) {
    Cond = W->getCond();
    Body = W->getBody();
  } else if (const auto *D = dyn_cast<DoStmt>(Loop)) {
    Cond = D->getCond();
    Body = D->getBody();
  } else if (const auto *F = dyn_cast<ForStmt>(Loop)) {
    Cond = F->getCond();
    Body = F->getBody();
  } else if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop)) {
    // Walking a range re-checks nothing about the wait.
    Body = R->getBody();
  }
  bool Value = true;
  if (Cond && !isConstantCondition(Cond, AST, Value))
    return true;
  if (Cond && !Value)
    return false; // do { ... } while (0) runs once
  return hasConditionalExit(Body, AST, /*UnderCondition=*/false,
                            /*InInnerBreakable=*/false);
}

/// Whether the lock expression is a parameter itself (`m`, `*m`, `lk`), not
/// a lock reached through one (`&q->mutex`): the function then only wraps
/// a wait on a lock its caller holds.
bool isCallersLock(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr()->IgnoreParenImpCasts();
  const auto *D = dyn_cast<DeclRefExpr>(E);
  return D && isa<ParmVarDecl>(D->getDecl());
}

class WaitFinder : public RecursiveASTVisitor<WaitFinder> {
public:
  explicit WaitFinder(TUContext &Ctx) : Ctx(Ctx) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

#define SNAG_LOOP(Class)                                                       \
  bool Traverse##Class(Class *S) {                                             \
    Loops.push_back(S);                                                        \
    IfsInLoop.push_back(0);                                                    \
    bool Result = Base::Traverse##Class(S);                                    \
    IfsInLoop.pop_back();                                                      \
    Loops.pop_back();                                                          \
    return Result;                                                             \
  }
  // `while (1) { if (queue == NULL) wait(); ... }`: the `if` inside the loop
  // is checked again on the next round.
  bool TraverseIfStmt(IfStmt *S) {
    bool Value;
    bool Reads = !isConstantCondition(S->getCond(), Ctx.AST, Value);
    if (!Reads || Loops.empty())
      return Base::TraverseIfStmt(S);
    ++IfsInLoop.back();
    bool Result = Base::TraverseIfStmt(S);
    --IfsInLoop.back();
    return Result;
  }

  SNAG_LOOP(WhileStmt)
  SNAG_LOOP(DoStmt)
  SNAG_LOOP(ForStmt)
  SNAG_LOOP(CXXForRangeStmt)
#undef SNAG_LOOP

  // A lambda or block is a function of its own: a loop around its
  // definition does not loop around its wait.
  bool TraverseLambdaExpr(LambdaExpr *E) {
    return withFreshScope(Function, [&] { return Base::TraverseLambdaExpr(E); });
  }
  bool TraverseBlockExpr(BlockExpr *E) {
    return withFreshScope(Function, [&] { return Base::TraverseBlockExpr(E); });
  }
  bool TraverseFunctionDecl(FunctionDecl *D) {
    return withFreshScope(D, [&] { return Base::TraverseFunctionDecl(D); });
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl *D) {
    return withFreshScope(D, [&] { return Base::TraverseCXXMethodDecl(D); });
  }
  bool TraverseCXXConstructorDecl(CXXConstructorDecl *D) {
    return withFreshScope(D,
                          [&] { return Base::TraverseCXXConstructorDecl(D); });
  }
  bool TraverseCXXDestructorDecl(CXXDestructorDecl *D) {
    return withFreshScope(D,
                          [&] { return Base::TraverseCXXDestructorDecl(D); });
  }

  bool VisitCallExpr(CallExpr *Call) {
    CondVarWait W = matchCondVarWait(Call);
    if (!W || W.HasPredicate || !Ctx.isUserCode(Call->getExprLoc()))
      return true;
    for (const Stmt *Loop : Loops)
      if (loopRechecks(Loop, Ctx.AST))
        return true;
    if (!IfsInLoop.empty() && IfsInLoop.back() > 0)
      return true;
    // A wrapper that waits on the lock its caller passes leaves the
    // condition to the caller, which snag does not see from here.
    if (isCallersLock(W.Lock))
      return true;
    // Each instantiation of a template reaches the same wait.
    if (!Reported.insert(Ctx.AST.getSourceManager().getFileLoc(
                             W.Call->getExprLoc()))
             .second)
      return true;
    report(W);
    return true;
  }

private:
  using Base = RecursiveASTVisitor<WaitFinder>;

  template <class Fn> bool withFreshScope(const Decl *D, Fn Traverse) {
    std::vector<const Stmt *> Saved;
    std::vector<unsigned> SavedIfs;
    Saved.swap(Loops);
    SavedIfs.swap(IfsInLoop);
    const Decl *SavedFunction = Function;
    Function = D;
    bool Result = Traverse();
    Loops.swap(Saved);
    IfsInLoop.swap(SavedIfs);
    Function = SavedFunction;
    return Result;
  }

  std::string text(const Expr *E) const {
    const SourceManager &SM = Ctx.AST.getSourceManager();
    CharSourceRange Range = CharSourceRange::getTokenRange(
        SM.getFileLoc(E->getBeginLoc()), SM.getFileLoc(E->getEndLoc()));
    llvm::StringRef Text =
        Lexer::getSourceText(Range, SM, Ctx.AST.getLangOpts());
    if (Text.empty() || Text.size() > 60)
      return "the condition variable";
    return Text.str();
  }

  void report(const CondVarWait &W) {
    std::string CondVar = text(W.CondVar->IgnoreParenImpCasts());
    Finding F;
    F.RuleId = "condvar-wait-no-predicate";
    F.Where = Ctx.point(W.Call->getExprLoc());
    F.Message =
        "`" + CondVar + "` is waited on with no predicate and no loop: a "
        "spurious wakeup returns with the condition still false, and a "
        "notify sent before the wait is lost; pass a predicate or re-check "
        "the condition in a loop";
    std::string FunctionName = "<global>";
    if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Function)) {
      // One key for every instantiation of a template.
      if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
        FD = Pattern;
      FunctionName = FD->getQualifiedNameAsString();
    }
    F.FingerprintKey = FunctionName + "|" + CondVar;
    Ctx.report(std::move(F));
  }

  TUContext &Ctx;
  std::vector<const Stmt *> Loops;
  /// For each loop of Loops, how many `if`s that read something are open
  /// between it and the current statement.
  std::vector<unsigned> IfsInLoop;
  const Decl *Function = nullptr;
  llvm::DenseSet<SourceLocation> Reported;
};

} // namespace

void checkCondvarWaitNoPredicate(TUContext &Ctx) {
  WaitFinder(Ctx).TraverseAST(Ctx.AST);
}

} // namespace snag
