//===- ThreadLifetime.h - What becomes of each thread a program starts ----===//
//
// Built on the thread model (Threads.h): for each start, which handle owns
// the thread and whether it is joined, detached or handed elsewhere; for each
// local std::thread, the paths on which it is destroyed while still joinable
// (exception paths included); which calls may throw; and whether a thread's
// entry function loops forever with nothing another thread can use to stop
// it. The thread-lifecycle rules are thin readers of these answers.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_THREADLIFETIME_H
#define SNAG_MODEL_THREADLIFETIME_H

#include "model/Threads.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace snag {

class TUContext;

/// A join, detach, joinable() or stop request found in the TU's user code,
/// with the variable, field or container it names and where it is.
struct HandleOpSite {
  ThreadHandleOp Op;
  const clang::ValueDecl *Decl = nullptr;
  const clang::FunctionDecl *Caller = nullptr;
};

/// Every handle operation in the TU's user code, in source order.
const std::vector<HandleOpSite> &threadHandleOps(TUContext &Ctx);

/// What becomes of one started thread.
struct StartFate {
  /// The variables, fields or containers that own the thread in turn (the
  /// first one, then those it is moved into). Empty for a temporary.
  llvm::SmallVector<const clang::ValueDecl *, 2> Owners;
  /// Joins of the thread (for a container, of any element).
  llvm::SmallVector<const clang::Expr *, 2> Joins;
  /// The detach: t.detach(), pthread_detach, a detached attribute, or the
  /// entry function detaching itself.
  const clang::Stmt *Detach = nullptr;
  /// Where ownership leaves the function: returned, moved into something
  /// outside it, or passed by reference to a function that may join it.
  const clang::Stmt *HandedOff = nullptr;
  /// Whether HandedOff gives the thread away for good (return, a field, a
  /// global) rather than lending it to a callee.
  bool OutlivesCaller = false;
  /// A std::thread temporary that no one joins, detaches or keeps.
  bool Discarded = false;
  /// The owner waits for the thread when destroyed (std::jthread, future).
  bool JoinsOnDestruction = false;

  bool joinedOrDetached() const { return !Joins.empty() || Detach; }
};

StartFate fateOf(TUContext &Ctx, const ThreadStartSite &Site);

/// One way a local std::thread reaches its destructor while joinable.
struct JoinableLeak {
  enum Kind { ScopeEnd, Return, Exception };
  const clang::VarDecl *Var = nullptr;
  /// The start (or the call that produced the thread) that made it joinable.
  const clang::Stmt *Start = nullptr;
  Kind How = ScopeEnd;
  /// The closing brace's statement, the return, or the throwing expression.
  const clang::Stmt *Where = nullptr;
  /// For Exception: the function that may throw (null for a throw).
  const clang::FunctionDecl *Thrower = nullptr;
};

/// The paths on which the local std::thread variables of \p FD are
/// destroyed while joinable: at most one normal and one exceptional path per
/// variable. Follows moves, joinable() guards and try/catch handlers.
std::vector<JoinableLeak> joinableAtDestruction(TUContext &Ctx,
                                                const clang::FunctionDecl *FD);

/// Whether \p E (a call, construction or throw) may throw: a throw, or a
/// call to a function defined in the user's code that may throw and is not
/// noexcept. Library and C functions are taken not to throw.
bool mayThrow(TUContext &Ctx, const clang::Stmt *E,
              const clang::FunctionDecl **Thrower = nullptr);

/// A loop that \p Entry, or a function it calls in this TU, runs forever:
/// its condition is constant or reads only locals the loop never changes,
/// and nothing in it leaves the loop (break, return, throw, exit). Sets
/// \p In to the function that holds the loop. Null when there is none.
const clang::Stmt *loopWithoutStopPath(TUContext &Ctx,
                                       const clang::FunctionDecl *Entry,
                                       const clang::FunctionDecl **In);

/// Whether \p S is lexically inside \p Outer.
bool isWithin(const clang::Stmt *S, const clang::Stmt *Outer,
              const clang::SourceManager &SM);

/// The compound statement whose end destroys local \p VD (its scope).
const clang::Stmt *scopeOf(clang::ASTContext &AST, const clang::VarDecl *VD);

} // namespace snag

#endif
