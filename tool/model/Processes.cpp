//===- Processes.cpp - fork(), the child's path, threads running at a point ===//
#include "model/Processes.h"
#include "check/Analyses.h"
#include "model/FunctionCFG.h"
#include "model/ThreadLifetime.h"
#include "model/UserCodeVisitor.h"
#include "model/Usr.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/DenseMap.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace snag {

namespace {
enum class ProcessCall { None, Fork, Exec, Exit, Safe };

/// The process API table: what each call means to a forked child.
ProcessCall classify(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() || !FD->getDeclContext()->getRedeclContext()->isTranslationUnit())
    return ProcessCall::None;
  return llvm::StringSwitch<ProcessCall>(FD->getName())
      .Case("fork", ProcessCall::Fork)
      .Cases("execl", "execle", "execlp", "execv", "execve", ProcessCall::Exec)
      .Cases("execvp", "execvpe", "fexecve", "execveat", ProcessCall::Exec)
      .Cases("_exit", "_Exit", ProcessCall::Exit)
      // Async-signal-safe calls a child commonly makes before exec.
      .Cases("close", "dup", "dup2", "dup3", "setsid", ProcessCall::Safe)
      .Cases("setpgid", "chdir", "fchdir", "signal", "sigaction",
             ProcessCall::Safe)
      .Cases("sigprocmask", "pthread_sigmask", "sigemptyset", "sigfillset",
             "sigaddset", ProcessCall::Safe)
      .Cases("open", "openat", "write", "read", "umask", ProcessCall::Safe)
      .Cases("setuid", "setgid", "setgroups", "prctl", "kill",
             ProcessCall::Safe)
      .Cases("getpid", "getppid", "alarm", "fcntl", "pipe", ProcessCall::Safe)
      .Cases("pipe2", "raise", "setrlimit", "ioctl", "close_range",
             ProcessCall::Safe)
      .Default(ProcessCall::None);
}

ProcessCall classifyCall(const Stmt *S) {
  const auto *CE = llvm::dyn_cast<CallExpr>(S);
  return CE ? classify(CE->getDirectCallee()) : ProcessCall::None;
}

/// Whether \p E names the fork's result: the pid variable or the call.
bool isPid(const Expr *E, const VarDecl *Pid, const CallExpr *Fork) {
  E = E->IgnoreParenImpCasts();
  if (E == Fork)
    return true;
  if (const auto *BO = llvm::dyn_cast<BinaryOperator>(E);
      BO && BO->getOpcode() == BO_Assign)
    return isPid(BO->getLHS(), Pid, Fork) || isPid(BO->getRHS(), Pid, Fork);
  const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E);
  return DRE && Pid && DRE->getDecl() == Pid;
}

bool isZero(const Expr *E, ASTContext &AST) {
  Expr::EvalResult R;
  return E->EvaluateAsInt(R, AST) && R.Val.getInt() == 0;
}

/// For a condition on the pid: 1 when its true branch is the child's, 0
/// when its false branch is, -1 when it does not tell.
int childBranch(const Expr *Cond, const VarDecl *Pid, const CallExpr *Fork,
                ASTContext &AST) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(Cond);
      U && U->getOpcode() == UO_LNot && isPid(U->getSubExpr(), Pid, Fork))
    return 1;
  if (isPid(Cond, Pid, Fork))
    return 0;
  if (const auto *BO = llvm::dyn_cast<BinaryOperator>(Cond)) {
    const Expr *L = BO->getLHS(), *R = BO->getRHS();
    bool PidLeft = isPid(L, Pid, Fork) && isZero(R, AST);
    bool PidRight = isPid(R, Pid, Fork) && isZero(L, AST);
    if (!PidLeft && !PidRight)
      return -1;
    switch (BO->getOpcode()) {
    case BO_EQ:
      return 1;
    case BO_NE:
      return 0;
    case BO_GT:
      return PidLeft ? 0 : -1;
    default:
      return -1;
    }
  }
  return -1;
}

/// Checks the child's statements in order: safe calls until exec/_exit.
/// Returns true when it reaches exec/_exit; sets Unsafe otherwise.
bool goesStraightToExec(ArrayRef<const Stmt *> Stmts, const Stmt *&Unsafe) {
  for (const Stmt *S : Stmts) {
    if (!S)
      continue;
    if (const auto *CS = llvm::dyn_cast<CompoundStmt>(S)) {
      llvm::SmallVector<const Stmt *, 8> Body(CS->body());
      if (goesStraightToExec(Body, Unsafe))
        return true;
      if (Unsafe)
        return false;
      continue;
    }
    ProcessCall Top = classifyCall(llvm::isa<Expr>(S)
                                       ? llvm::cast<Expr>(S)->IgnoreParenCasts()
                                       : S);
    if (Top == ProcessCall::Exec || Top == ProcessCall::Exit)
      return true;
    // Anything else must be made only of safe calls and plain values.
    struct Checker : RecursiveASTVisitor<Checker> {
      const Stmt *Bad = nullptr;
      bool VisitCallExpr(CallExpr *CE) {
        ProcessCall K = classify(CE->getDirectCallee());
        if (K == ProcessCall::None || K == ProcessCall::Fork)
          Bad = CE;
        return !Bad;
      }
      bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
        if (!CE->getConstructor()->isTrivial())
          Bad = CE;
        return !Bad;
      }
      bool VisitCXXNewExpr(CXXNewExpr *E) { return !(Bad = E); }
      bool VisitCXXThrowExpr(CXXThrowExpr *E) { return !(Bad = E); }
    } C;
    C.TraverseStmt(const_cast<Stmt *>(S));
    if (C.Bad) {
      Unsafe = C.Bad;
      return false;
    }
    if (llvm::isa<ReturnStmt>(S) || llvm::isa<BreakStmt>(S) ||
        llvm::isa<ContinueStmt>(S)) {
      Unsafe = S; // back into the parent's code
      return false;
    }
  }
  return false;
}
} // namespace

bool isForkCall(const CallExpr *CE) {
  return CE && classify(CE->getDirectCallee()) == ProcessCall::Fork;
}

ChildPath childOf(ASTContext &AST, const CallExpr *Fork,
                  const FunctionDecl *Caller) {
  ChildPath Out;
  Out.RunsOn = Fork;
  if (!Caller || !Caller->getBody())
    return Out;
  // pid_t pid = fork(); or pid = fork();
  const VarDecl *Pid = nullptr;
  auto Parents = AST.getParents(*Fork);
  for (int Depth = 0; Depth < 4 && !Parents.empty(); ++Depth) {
    if (const auto *VD = Parents[0].get<VarDecl>()) {
      Pid = VD;
      break;
    }
    if (const auto *BO = Parents[0].get<BinaryOperator>()) {
      if (BO->getOpcode() == BO_Assign)
        if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(
                BO->getLHS()->IgnoreParenImpCasts()))
          Pid = llvm::dyn_cast<VarDecl>(DRE->getDecl());
      break;
    }
    if (!Parents[0].get<ImplicitCastExpr>() && !Parents[0].get<ParenExpr>())
      break;
    Parents = AST.getParents(Parents[0]);
  }
  // The first if/switch on the pid after the fork that names the child.
  struct BranchFinder : RecursiveASTVisitor<BranchFinder> {
    ASTContext &AST;
    const VarDecl *Pid;
    const CallExpr *Fork;
    const SourceManager &SM;
    const Stmt *Child = nullptr;
    llvm::SmallVector<const Stmt *, 8> ChildStmts;
    bool Found = false;
    BranchFinder(ASTContext &AST, const VarDecl *Pid, const CallExpr *Fork)
        : AST(AST), Pid(Pid), Fork(Fork), SM(AST.getSourceManager()) {}
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitIfStmt(IfStmt *If) {
      if (Found || SM.isBeforeInTranslationUnit(If->getEndLoc(),
                                                Fork->getBeginLoc()))
        return true;
      int Which = childBranch(If->getCond(), Pid, Fork, AST);
      if (Which < 0)
        return true;
      Found = true;
      Child = Which == 1 ? If->getThen() : If->getElse();
      return false;
    }
    bool VisitSwitchStmt(SwitchStmt *Sw) {
      if (Found || !isPid(Sw->getCond(), Pid, Fork))
        return true;
      const auto *Body = llvm::dyn_cast_or_null<CompoundStmt>(Sw->getBody());
      if (!Body)
        return true;
      // From `case 0:` to the break (or the next label): the child's code.
      bool In = false;
      for (const Stmt *S : Body->body()) {
        if (const auto *Case = llvm::dyn_cast<CaseStmt>(S)) {
          if (In)
            break;
          if (!isZero(Case->getLHS(), AST))
            continue;
          In = Found = true;
          S = Case->getSubStmt();
        } else if (llvm::isa<DefaultStmt>(S) && In) {
          break;
        }
        if (!In)
          continue;
        if (llvm::isa<BreakStmt>(S)) {
          ChildStmts.push_back(S);
          break;
        }
        ChildStmts.push_back(S);
      }
      return !Found;
    }
  } Finder(AST, Pid, Fork);
  Finder.TraverseStmt(Caller->getBody());
  if (!Finder.Found)
    return Out; // the child runs whatever follows the fork
  if (Finder.Child)
    Finder.ChildStmts.push_back(Finder.Child);
  if (Finder.ChildStmts.empty())
    return Out; // `if (pid) {...}` with no else: the child goes on past it
  const Stmt *Unsafe = nullptr;
  if (goesStraightToExec(Finder.ChildStmts, Unsafe)) {
    Out.Execs = true;
    Out.RunsOn = nullptr;
  } else {
    Out.RunsOn = Unsafe ? Unsafe : Finder.ChildStmts.front();
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// Threads running at a point
//===----------------------------------------------------------------------===//

namespace {
struct RunCache {
  const void *Key = nullptr;
  /// What leaves a thread running when the function returns (null: none).
  llvm::DenseMap<const FunctionDecl *, const Stmt *> Leaves;
};
thread_local RunCache Cache;

RunCache &cacheFor(TUContext &Ctx) {
  if (Cache.Key != tuKey(Ctx)) {
    Cache = RunCache();
    Cache.Key = tuKey(Ctx);
  }
  return Cache;
}

int indexIn(const CFGBlock *B, const Stmt *S) {
  int I = 0;
  for (const CFGElement &E : *B) {
    if (auto CS = E.getAs<CFGStmt>())
      if (CS->getStmt() == S)
        return I;
    ++I;
  }
  return -1;
}

/// Whether \p To is reachable from \p From without passing a statement of
/// \p Barriers (joins of the started thread) or a block of \p BarrierBlocks
/// (the headers of loops that join every element of a container).
bool reachesAvoiding(TUContext &Ctx, const FunctionDecl *FD, const Stmt *From,
                     const Stmt *To,
                     const llvm::SmallPtrSetImpl<const Stmt *> &Barriers,
                     const llvm::SmallPtrSetImpl<const CFGBlock *> &BarrierBlocks) {
  const CFGBlock *FB = blockOf(Ctx, FD, From), *TB = blockOf(Ctx, FD, To);
  if (!FB || !TB)
    return false;
  auto scan = [&](const CFGBlock *B, int Start) -> int {
    // 1 reached, 0 blocked, -1 neither.
    int I = 0;
    for (const CFGElement &E : *B) {
      if (I++ < Start)
        continue;
      if (auto CS = E.getAs<CFGStmt>()) {
        if (CS->getStmt() == To)
          return 1;
        if (Barriers.count(CS->getStmt()))
          return 0;
      }
    }
    return -1;
  };
  int First = scan(FB, indexIn(FB, From) + 1);
  if (First >= 0)
    return First == 1;
  llvm::SmallVector<const CFGBlock *, 16> Work;
  llvm::SmallPtrSet<const CFGBlock *, 32> Seen;
  for (const CFGBlock *S : FB->succs())
    if (S)
      Work.push_back(S);
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    if (!Seen.insert(B).second || BarrierBlocks.count(B))
      continue;
    int R = scan(B, 0);
    if (R == 1)
      return true;
    if (R == 0)
      continue;
    for (const CFGBlock *S : B->succs())
      if (S)
        Work.push_back(S);
  }
  return false;
}

const CFGBlock *loopHeader(TUContext &Ctx, const FunctionDecl *FD,
                           const Stmt *S) {
  const CFG *G = functionCFG(Ctx, FD);
  if (!G)
    return nullptr;
  const Stmt *Loop = nullptr;
  for (const Stmt *P = parentStmt(Ctx.AST, S); P && !Loop;
       P = parentStmt(Ctx.AST, P))
    if (llvm::isa<ForStmt>(P) || llvm::isa<CXXForRangeStmt>(P) ||
        llvm::isa<WhileStmt>(P))
      Loop = P;
  if (!Loop)
    return nullptr;
  for (const CFGBlock *B : *G)
    if (B->getTerminatorStmt() == Loop)
      return B;
  return nullptr;
}

bool startRunsAt(TUContext &Ctx, const FunctionDecl *FD,
                 const ThreadStartSite &Site, const Stmt *At) {
  StartFate Fate = fateOf(Ctx, Site);
  llvm::SmallPtrSet<const Stmt *, 4> Barriers;
  llvm::SmallPtrSet<const CFGBlock *, 4> BarrierBlocks;
  for (const Expr *Join : Fate.Joins) {
    Barriers.insert(Join);
    if (!Fate.Owners.empty() && isThreadContainerType(Fate.Owners[0]->getType()))
      if (const CFGBlock *H = loopHeader(Ctx, FD, Join))
        BarrierBlocks.insert(H);
  }
  return reachesAvoiding(Ctx, FD, Site.Start.Call, At, Barriers, BarrierBlocks);
}

std::vector<const CallExpr *> callsIn(const FunctionDecl *FD) {
  struct Calls : RecursiveASTVisitor<Calls> {
    std::vector<const CallExpr *> Out;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitCallExpr(CallExpr *CE) {
      Out.push_back(CE);
      return true;
    }
  } C;
  C.TraverseStmt(FD->getBody());
  return C.Out;
}

/// The start or call by which \p FD may return with a thread still running
/// (a start whose thread outlives it, or a call of a function that does);
/// null when there is none.
const Stmt *leftRunningBy(TUContext &Ctx, const FunctionDecl *FD, int Depth) {
  if (!FD || Depth > 4)
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->getBody() || !Ctx.isUserCode(Def->getLocation()))
    return nullptr;
  RunCache &C = cacheFor(Ctx);
  auto [It, New] = C.Leaves.try_emplace(Def, nullptr);
  if (!New)
    return It->second; // null while computing (recursion) counts as no
  const Stmt *Result = nullptr;
  for (const ThreadStartSite &Site : threadStarts(Ctx)) {
    if (Site.Caller != Def || Site.Start.ownedByPool())
      continue;
    StartFate Fate = fateOf(Ctx, Site);
    bool OwnerOutlives = false;
    for (const ValueDecl *Owner : Fate.Owners)
      if (const auto *VD = llvm::dyn_cast<VarDecl>(Owner);
          !VD || !VD->hasLocalStorage())
        OwnerOutlives = true;
    if (Fate.Detach || (Fate.HandedOff && Fate.OutlivesCaller) ||
        OwnerOutlives ||
        (Fate.Joins.empty() && !Fate.Detach && !Fate.HandedOff &&
         Site.Start.Flavor != ThreadFlavor::StdThread &&
         !Fate.JoinsOnDestruction)) {
      Result = Site.Start.Call;
      break;
    }
  }
  if (!Result)
    for (const CallExpr *CE : callsIn(Def))
      if (leftRunningBy(Ctx, CE->getDirectCallee(), Depth + 1)) {
        Result = CE;
        break;
      }
  cacheFor(Ctx).Leaves[Def] = Result;
  return Result;
}
} // namespace

bool leavesThreadRunning(TUContext &Ctx, const FunctionDecl *FD) {
  return leftRunningBy(Ctx, FD, 0) != nullptr;
}

const Stmt *threadRunningAt(TUContext &Ctx, const FunctionDecl *FD,
                            const Stmt *At) {
  if (!FD || !functionCFG(Ctx, FD))
    return nullptr;
  for (const ThreadStartSite &Site : threadStarts(Ctx))
    if (Site.Caller == FD && !Site.Start.ownedByPool() &&
        startRunsAt(Ctx, FD, Site, At))
      return Site.Start.Call;
  llvm::SmallPtrSet<const Stmt *, 1> NoBarriers;
  llvm::SmallPtrSet<const CFGBlock *, 1> NoBlocks;
  for (const CallExpr *CE : callsIn(FD))
    if (CE != At && leavesThreadRunning(Ctx, CE->getDirectCallee()) &&
        reachesAvoiding(Ctx, FD, CE, At, NoBarriers, NoBlocks))
      return CE;
  return nullptr;
}

} // namespace snag

//===----------------------------------------------------------------------===//
// Process facts for the link step
//===----------------------------------------------------------------------===//

namespace snag {

namespace {

class ProcessFactsBuilder : public UserCodeVisitor<ProcessFactsBuilder> {
public:
  explicit ProcessFactsBuilder(TUContext &Ctx)
      : Ctx(Ctx), PF(Ctx.Facts.Program) {
    for (unsigned I = 0; I < PF.Files.size(); ++I)
      FileIndex[PF.Files[I]] = I;
  }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext() &&
        Ctx.isUserCode(FD->getLocation()))
      add(FD);
    return true;
  }

private:
  FactSite site(SourceLocation Loc) {
    SourcePoint P = Ctx.point(Loc);
    auto It = FileIndex.try_emplace(P.File, PF.Files.size());
    if (It.second)
      PF.Files.push_back(P.File);
    return {It.first->second, P.Line, P.Column};
  }

  /// Which of \p Calls \p At is reachable from.
  std::vector<uint32_t> after(const FunctionDecl *FD, const Stmt *At,
                              llvm::ArrayRef<const CallExpr *> Calls) {
    std::vector<uint32_t> Out;
    // Many calls: source order stands in for reachability, which would
    // cost a CFG walk per pair.
    bool ByOrder = Calls.size() > 64;
    const SourceManager &SM = Ctx.AST.getSourceManager();
    llvm::SmallPtrSet<const Stmt *, 1> NoBarriers;
    llvm::SmallPtrSet<const CFGBlock *, 1> NoBlocks;
    for (unsigned I = 0; I < Calls.size(); ++I) {
      if (Calls[I] == At)
        continue;
      bool Before = ByOrder ? SM.isBeforeInTranslationUnit(
                                  Calls[I]->getBeginLoc(), At->getBeginLoc())
                            : reachesAvoiding(Ctx, FD, Calls[I], At,
                                              NoBarriers, NoBlocks);
      if (Before)
        Out.push_back(I);
    }
    return Out;
  }

  void add(const FunctionDecl *FD) {
    ProcessFunctionFacts F;
    if (const Stmt *By = leftRunningBy(Ctx, FD, 0)) {
      F.LeavesRunning = true;
      F.RunningAt = site(By->getBeginLoc());
    }
    std::vector<const CallExpr *> Calls, Forks;
    for (const CallExpr *CE : callsIn(FD)) {
      if (isForkCall(CE)) {
        if (!childOf(Ctx.AST, CE, FD).Execs)
          Forks.push_back(CE);
        continue;
      }
      const FunctionDecl *Callee = CE->getDirectCallee();
      if (Callee && Ctx.isUserCode(Callee->getLocation()) &&
          !threadModel(Ctx).start(CE) && !threadModel(Ctx).handleOp(CE))
        Calls.push_back(CE);
    }
    if (Calls.empty() && Forks.empty() && !F.LeavesRunning)
      return;
    bool MayRun = false;
    for (const ThreadStartSite &Site : threadStarts(Ctx))
      MayRun |= Site.Caller == FD;
    for (const CallExpr *CE : Calls)
      MayRun |= leavesThreadRunning(Ctx, CE->getDirectCallee());
    for (const CallExpr *CE : Calls) {
      ProcessCallFact C;
      C.Callee = usrOf(CE->getDirectCallee()->getCanonicalDecl());
      C.Name = CE->getDirectCallee()->getQualifiedNameAsString();
      C.At = site(CE->getBeginLoc());
      C.After = after(FD, CE, Calls);
      C.Running = MayRun && threadRunningAt(Ctx, FD, CE);
      F.Calls.push_back(std::move(C));
    }
    for (const CallExpr *CE : Forks) {
      ForkFact K;
      K.At = site(CE->getBeginLoc());
      K.After = after(FD, CE, Calls);
      F.Forks.push_back(std::move(K));
    }
    F.Usr = usrOf(FD);
    F.Name = FD->getQualifiedNameAsString();
    if (!F.Usr.empty())
      PF.Processes.push_back(std::move(F));
  }

  TUContext &Ctx;
  ProgramFacts &PF;
  llvm::StringMap<uint32_t> FileIndex;
};
} // namespace

void extractProcessFacts(TUContext &Ctx) {
  ProcessFactsBuilder(Ctx).TraverseDecl(Ctx.AST.getTranslationUnitDecl());
}

void markForkReported(TUContext &Ctx, const CallExpr *Fork) {
  SourcePoint P = Ctx.point(Fork->getBeginLoc());
  ProgramFacts &PF = Ctx.Facts.Program;
  for (ProcessFunctionFacts &F : PF.Processes)
    for (ForkFact &K : F.Forks)
      if (K.At.Line == P.Line && K.At.Column == P.Column &&
          K.At.File < PF.Files.size() && PF.Files[K.At.File] == P.File)
        K.Reported = true;
}

} // namespace snag
