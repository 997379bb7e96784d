//===- LockSummaries.h - What a function does to locks, seen by its callers ===//
//
// Built on the lock model (Locks.h): which locks a function takes, directly
// or through the functions it calls in the same TU, mapped into the
// caller's terms (a callee's `this->m` is the caller's `obj.m`, a callee's
// lock parameter is the caller's argument); and whether a function exists
// to take or release a lock on its caller's behalf (its name, Clang's
// thread-safety attributes, or .snag.yaml say so).
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_LOCKSUMMARIES_H
#define SNAG_MODEL_LOCKSUMMARIES_H

#include "model/Locks.h"

#include "clang/AST/ParentMap.h"

#include <vector>

namespace snag {

/// One lock a function takes, blocking, possibly inside a callee.
struct TakenLock {
  LockId Lock;
  bool Shared = false;
  /// Where it is taken, in the function that takes it.
  clang::SourceLocation Loc;
  /// The calls from the summarised function down to the taker, outermost
  /// first; empty when the function takes the lock itself.
  std::vector<const clang::CallExpr *> Chain;
};

/// Locks taken by \p FD and (up to \p Depth calls deep) its callees with
/// bodies in this TU, in \p FD's terms. try-locks are left out: they fail
/// instead of blocking. Memoised per model.
/// With \p B, on the paths a constant argument selects only (a call
/// `f(-42)` where `f` takes a lock unless its parameter is -42).
const std::vector<TakenLock> &
locksTakenBy(LockModel &M, const clang::FunctionDecl *FD, unsigned Depth = 4,
             std::optional<ParamBinding> B = std::nullopt);

/// \p CalleeLock, a lock named inside the function \p Call calls, as the
/// caller names it; invalid when it means nothing in the caller (a local).
/// With \p M, arguments are named as M.lockIdOf names them.
LockId lockInCaller(const LockId &CalleeLock, const clang::CallExpr *Call,
                    const clang::FunctionDecl *Callee,
                    const clang::ASTContext &AST,
                    const LockModel *M = nullptr);

/// Whether \p FD exists to return holding a lock it takes (`lock`,
/// `lock_queue`, `acquire_x`, `enter`, ACQUIRE annotations, .snag.yaml
/// acquire functions).
bool isAcquireFunction(const clang::FunctionDecl *FD, const Config &Cfg);
/// Whether \p FD exists to release a lock its caller holds.
bool isReleaseFunction(const clang::FunctionDecl *FD, const Config &Cfg);

/// The condition of the nearest `if` whose then-branch holds \p S, inside
/// \p Body; null when there is none.
const clang::Expr *guardingCondition(const clang::ParentMap &PM,
                                     const clang::Stmt *S);

/// Whether two conditions are the same expression (same tokens, same
/// declarations): `if (shared) lock(); ... if (shared) unlock();`.
bool sameCondition(const clang::Expr *A, const clang::Expr *B,
                   const clang::ASTContext &AST);

/// Whether the result of the try-lock call \p TryCall is stored for a later
/// test (`int rc = pthread_mutex_trylock(&m); ... if (rc == 0)`): the lock
/// model then cannot tell which paths hold the lock.
bool tryResultKept(const FunctionLocks &FL, const clang::Stmt *TryCall);

/// Whether one condition is the other negated: `!x` and `x`.
bool complementary(const clang::Expr *A, const clang::Expr *B,
                   const clang::ASTContext &AST);

/// Whether \p E is a guard adopting a lock already held
/// (`std::lock_guard g(m, std::adopt_lock)`): it takes nothing.
bool adoptsLock(const LockEvent &E);

} // namespace snag

#endif
