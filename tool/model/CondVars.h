//===- CondVars.h - The condition-variable wait APIs snag understands -----===//
//
// One table of waits (std::condition_variable(_any), pthread, C11): which
// call is a wait, how many arguments it takes when it has no predicate, and
// which argument is the condition variable and which the lock. Rules ask
// this model instead of matching names themselves.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_CONDVARS_H
#define SNAG_MODEL_CONDVARS_H

#include "clang/AST/Expr.h"

namespace snag {

/// One wait function of the table.
struct CondVarWaitAPI {
  /// Qualified name, inline namespaces left out:
  /// "std::condition_variable::wait", "pthread_cond_wait".
  const char *Name;
  /// Arguments of a call without a predicate (the object of a member call
  /// not counted). A call with more arguments passes a predicate.
  unsigned ArgsWithoutPredicate;
  /// Which argument is the condition variable; -1 for the object of a
  /// member call.
  int CondVarArg;
  /// Which argument is the lock released while waiting.
  unsigned LockArg;
  /// Whether the wait also returns when a time runs out.
  bool Timed;
};

/// A call of a wait function, as the model sees it.
struct CondVarWait {
  const CondVarWaitAPI *API = nullptr;
  const clang::CallExpr *Call = nullptr;
  /// Whether the call passes a predicate that the wait re-checks itself.
  bool HasPredicate = false;
  /// The condition variable and the lock expressions, as written.
  const clang::Expr *CondVar = nullptr;
  const clang::Expr *Lock = nullptr;

  explicit operator bool() const { return API != nullptr; }
};

/// Whether \p Call waits on a condition variable, and how.
CondVarWait matchCondVarWait(const clang::CallExpr *Call);

} // namespace snag

#endif
