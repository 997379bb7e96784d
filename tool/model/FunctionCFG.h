//===- FunctionCFG.h - One CFG per function per TU, shared by every rule --===//
//
// Building a CFG costs about as much as a rule's whole walk over a function,
// so it is built once per function and TU, with the options every analysis
// needs (implicit and temporary destructors, initializers, every
// subexpression as an element), and shared. Also the small AST helpers the
// models share: the function around a statement, whether it sits in a loop.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_FUNCTIONCFG_H
#define SNAG_MODEL_FUNCTIONCFG_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Analysis/CFG.h"

namespace snag {

class TUContext;

/// A token that differs between TUs analysed one after the other on the
/// same thread: per-TU caches in the models are keyed by it.
const void *tuKey(TUContext &Ctx);

/// The CFG of \p FD's body (null when it has none or Clang cannot build
/// one). Built on first use, then cached for the rest of the TU.
const clang::CFG *functionCFG(TUContext &Ctx, const clang::FunctionDecl *FD);

/// For each statement of \p FD's CFG, the block that holds it.
const clang::CFGBlock *blockOf(TUContext &Ctx, const clang::FunctionDecl *FD,
                               const clang::Stmt *S);

/// The function whose body holds \p S: a lambda's call operator for a
/// statement in a lambda. Null at namespace scope.
const clang::FunctionDecl *enclosingFunction(clang::ASTContext &AST,
                                             const clang::Stmt *S);

/// Whether \p S is inside the body of a loop of its enclosing function.
bool isInLoop(clang::ASTContext &AST, const clang::Stmt *S);

/// The nearest parent statement of \p S (null at the top of a body).
const clang::Stmt *parentStmt(clang::ASTContext &AST, const clang::Stmt *S);

} // namespace snag

#endif
