//===- Concurrency.h - Which accesses may run at once, across all TUs -----===//
//
// The link step of the race rules. From every TU's ProgramFacts it builds
// the call graph by USR, finds the threads (main, and each thread start,
// with how many instances may run), walks each thread's calls composing
// what callers pass and the locks they hold, and so resolves every access
// to a program-wide location with the locks held there. mayRunInParallel()
// then says whether two accesses can happen at the same time: code of the
// starting function between a start and its join runs in parallel with the
// thread; two threads overlap when one is started while the other may run;
// a thread started several times races with itself.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_LINK_CONCURRENCY_H
#define SNAG_LINK_CONCURRENCY_H

#include "check/Analyses.h"
#include "model/ProgramFacts.h"

#include <set>
#include <string>
#include <vector>

namespace snag {

/// A thread: main, or one thread start site.
struct ThreadRoot {
  bool IsMain = false;
  const TUFacts *Unit = nullptr;       // of the start
  const FunctionFacts *StartedIn = nullptr;
  const StartFact *Start = nullptr;
  unsigned StartId = 0;                // program-wide id of the start
  bool Many = false;                   // several instances may run at once
  bool FromThread = false;             // started by a thread other than main
  /// The executable it belongs to (one per `main`).
  unsigned Program = 0;
  /// The threads whose code starts it (its program's main among them);
  /// ~0u: nobody snag saw.
  std::set<unsigned> Parents;
  std::set<unsigned> RunningAtStart;   // starts that may run when it starts
  /// What `this` is in its entry, in program-wide terms: a start reached
  /// for two objects (`a.start(); b.start();`) is two roots, each walked
  /// with its own object.
  std::string Object;
};

/// One access, resolved in the context of one thread.
struct ResolvedAccess {
  const TUFacts *Unit = nullptr;
  const FunctionFacts *Fn = nullptr;
  const AccessFact *Access = nullptr;
  unsigned Root = 0;
  std::string Loc;                // program-wide location key
  std::vector<std::string> Held;  // lock keys ("#shared" for readers)
  std::vector<std::string> HeldNames;
  std::set<unsigned> Running;     // for main's accesses: starts running here
  /// For a thread's accesses: starts the thread joined before (StartIds).
  std::set<unsigned> JoinedBefore;
  /// A local object of the function that makes the access, in the thread
  /// that makes it ("o:" keys): each instance of a thread has its own.
  bool InstanceLocal = false;
  /// AccessFact::ReleasedAfter and AcquiredBefore in program-wide terms.
  std::vector<std::string> ReleasedAfter, AcquiredBefore;
};

class ConcurrencyModel {
public:
  explicit ConcurrencyModel(llvm::ArrayRef<const TUFacts *> Units);

  const std::vector<ThreadRoot> &roots() const { return Roots; }
  const std::vector<ResolvedAccess> &accesses() const { return Accesses; }
  /// Whether the walk stopped at its bound before it was done.
  bool truncated() const { return Truncated; }

  bool mayRunInParallel(const ResolvedAccess &A, const ResolvedAccess &B) const;
  /// Whether a release after one access is acquired before the other (a
  /// semaphore, barrier, future, atomic flag or condition-variable handoff).
  static bool syncOrdered(const ResolvedAccess &A, const ResolvedAccess &B);
  /// Whether two location keys may name overlapping memory.
  static bool mayOverlap(const std::string &A, const std::string &B);
  /// Whether the two accesses hold a lock in common that excludes them.
  static bool commonLock(const ResolvedAccess &A, const ResolvedAccess &B);

  static SourcePoint point(const TUFacts &U, const FactSite &S);
  /// "a thread running `f` is started here" for a related location.
  std::string startNote(unsigned Root) const;

  /// The model shared by the link rules of one run.
  static const ConcurrencyModel &of(LinkContext &Ctx);

private:
  bool Truncated = false;
  std::vector<ThreadRoot> Roots;
  std::vector<ResolvedAccess> Accesses;
};

} // namespace snag

#endif
