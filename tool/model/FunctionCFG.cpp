//===- FunctionCFG.cpp - The per-TU cache of function CFGs ----------------===//
#include "model/FunctionCFG.h"
#include "check/Analyses.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>

using namespace clang;

namespace snag {

namespace {
struct FunctionGraph {
  std::unique_ptr<CFG> Graph;
  llvm::DenseMap<const Stmt *, const CFGBlock *> BlockOf;
};

struct CFGCache {
  const void *TU = nullptr;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionGraph>> Graphs;
};
thread_local CFGCache Cache;

CFGCache &cacheFor(TUContext &Ctx) {
  if (Cache.TU != tuKey(Ctx)) {
    Cache.Graphs.clear();
    Cache.TU = tuKey(Ctx);
  }
  return Cache;
}

FunctionGraph &graphFor(TUContext &Ctx, const FunctionDecl *FD) {
  auto &Slot = cacheFor(Ctx).Graphs[FD];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<FunctionGraph>();
  if (!FD->hasBody() || !FD->getBody() || FD->isDependentContext())
    return *Slot;
  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddTemporaryDtors = true;
  Opts.AddInitializers = true;
  Opts.AddCXXDefaultInitExprInCtors = true;
  Opts.AddLifetime = false;
  Opts.setAllAlwaysAdd();
  Slot->Graph = CFG::buildCFG(FD, FD->getBody(), &Ctx.AST, Opts);
  if (Slot->Graph)
    for (const CFGBlock *B : *Slot->Graph)
      for (const CFGElement &E : *B)
        if (auto S = E.getAs<CFGStmt>())
          Slot->BlockOf.try_emplace(S->getStmt(), B);
  return *Slot;
}
} // namespace

const void *tuKey(TUContext &Ctx) {
  // Never null, and never the same for two TUs of one run.
  return reinterpret_cast<const void *>(uintptr_t(Ctx.Serial));
}

const CFG *functionCFG(TUContext &Ctx, const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  return graphFor(Ctx, FD->getDefinition() ? FD->getDefinition() : FD)
      .Graph.get();
}

const CFGBlock *blockOf(TUContext &Ctx, const FunctionDecl *FD,
                        const Stmt *S) {
  if (!FD)
    return nullptr;
  FunctionGraph &G =
      graphFor(Ctx, FD->getDefinition() ? FD->getDefinition() : FD);
  return G.BlockOf.lookup(S);
}

const Stmt *parentStmt(ASTContext &AST, const Stmt *S) {
  auto Parents = AST.getParents(*S);
  if (Parents.empty())
    return nullptr;
  return Parents[0].get<Stmt>();
}

const FunctionDecl *enclosingFunction(ASTContext &AST, const Stmt *S) {
  DynTypedNode Node = DynTypedNode::create(*S);
  for (int Depth = 0; Depth < 256; ++Depth) {
    auto Parents = AST.getParents(Node);
    if (Parents.empty())
      return nullptr;
    Node = Parents[0];
    if (const auto *L = Node.get<LambdaExpr>())
      return L->getCallOperator();
    if (const auto *FD = Node.get<FunctionDecl>())
      return FD;
    if (Node.get<Decl>() && !Node.get<VarDecl>() && !Node.get<DeclStmt>() &&
        !Node.get<FieldDecl>())
      if (const auto *D = Node.get<Decl>(); D && llvm::isa<DeclContext>(D))
        return nullptr;
  }
  return nullptr;
}

bool isInLoop(ASTContext &AST, const Stmt *S) {
  DynTypedNode Node = DynTypedNode::create(*S);
  const Stmt *Child = S;
  for (int Depth = 0; Depth < 256; ++Depth) {
    auto Parents = AST.getParents(Node);
    if (Parents.empty())
      return false;
    Node = Parents[0];
    const Stmt *P = Node.get<Stmt>();
    if (!P)
      return false; // reached a declaration: the function or lambda
    if (llvm::isa<LambdaExpr>(P))
      return false;
    if (const auto *F = llvm::dyn_cast<ForStmt>(P))
      if (Child == F->getBody() || Child == F->getCond() || Child == F->getInc())
        return true;
    if (const auto *W = llvm::dyn_cast<WhileStmt>(P))
      if (Child == W->getBody() || Child == W->getCond())
        return true;
    if (const auto *D = llvm::dyn_cast<DoStmt>(P))
      if (Child == D->getBody())
        return true;
    if (const auto *R = llvm::dyn_cast<CXXForRangeStmt>(P))
      if (Child == R->getBody())
        return true;
    Child = P;
  }
  return false;
}

} // namespace snag
