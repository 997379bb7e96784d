//===- Processes.h - fork() and what the child process does next ----------===//
//
// A table of the calls that fork a process, replace it (exec*) or end it at
// once (_exit), and the async-signal-safe calls a child may make before
// that. childOf() reads which branch after a fork is the child's and says
// whether it goes straight to exec/_exit or runs on. threadRunningAt() and
// leavesThreadRunning() say whether a thread started earlier may still run
// at a program point (the join barriers come from the thread model).
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_PROCESSES_H
#define SNAG_MODEL_PROCESSES_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

namespace snag {

class TUContext;

/// fork() (and vfork's unsafe cousin fork-like calls from the table).
bool isForkCall(const clang::CallExpr *CE);

/// What the child of a fork does.
struct ChildPath {
  /// The child goes straight to exec*/_exit (only async-signal-safe calls
  /// before it).
  bool Execs = false;
  /// When it does not: the first thing it does that is not safe (or the
  /// fork itself when snag sees no child branch at all).
  const clang::Stmt *RunsOn = nullptr;
};
ChildPath childOf(clang::ASTContext &AST, const clang::CallExpr *Fork,
                  const clang::FunctionDecl *Caller);

/// A thread started in \p FD (directly, or by a call to a function that
/// leaves a thread running) that may still run when control reaches \p At:
/// \p At is reachable from the start without passing a join of its handle.
/// Returns the start or the call; null when there is none.
const clang::Stmt *threadRunningAt(TUContext &Ctx, const clang::FunctionDecl *FD,
                                   const clang::Stmt *At);

/// Whether \p FD starts a thread that may still run after it returns
/// (detached, handed out, kept in a field or global, a pthread never joined),
/// itself or through the functions it calls.
bool leavesThreadRunning(TUContext &Ctx, const clang::FunctionDecl *FD);

/// Fills the TU's process facts (ProgramFacts::Processes) for the link
/// step's fork-with-threads: forks whose child goes on, calls in order, and
/// functions that leave a thread running.
void extractProcessFacts(TUContext &Ctx);

/// Records that the per-TU rule reported \p Fork, so that the link step
/// does not report it again.
void markForkReported(TUContext &Ctx, const clang::CallExpr *Fork);

} // namespace snag

#endif
