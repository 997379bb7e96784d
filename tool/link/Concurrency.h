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
// Library classes, as RacerD reads them: a class whose public methods write
// a field under a lock of the object itself declares itself meant for use
// from several threads. Where no thread of the program reaches such a
// class, each public method is a root of its own, walked with `this` bound
// to "c:<class USR>" and the object's locks named by that object, and any
// two of them may run at once. Only fields some public method writes under
// the object's own lock (guardedByOwnLock) are candidates; where threads do
// reach the class, the program's own threads decide.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_LINK_CONCURRENCY_H
#define SNAG_LINK_CONCURRENCY_H

#include "check/Analyses.h"
#include "model/ProgramFacts.h"

#include <map>
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
  /// A public method of a class that takes a lock of its own object, which
  /// no thread of the program reaches: library code, which any number of
  /// its users' threads may call at once on one object (StartedIn is the
  /// method, Start is null). Class is the class's USR.
  bool Library = false;
  std::string Class;
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

  /// For an access from a library root: whether some public method of its
  /// class writes the same field under a lock of the object itself. Those
  /// accesses set \p Writer, and \p Lock the name of that lock, when given.
  bool guardedByOwnLock(const ResolvedAccess &A,
                        const ResolvedAccess **Writer = nullptr,
                        std::string *Lock = nullptr) const;
  /// "`Cache`" for a library root's class, as the user reads it.
  std::string className(unsigned Root) const;
  /// " (called from `Cache::clear`)" for an access of a library root in a
  /// function other than the public method the root is; "" otherwise.
  std::string calledFrom(const ResolvedAccess &A) const;

  static SourcePoint point(const TUFacts &U, const FactSite &S);
  /// "a thread running `f` is started here" for a related location.
  std::string startNote(unsigned Root) const;

  /// The model shared by the link rules of one run.
  static const ConcurrencyModel &of(LinkContext &Ctx);

private:
  bool Truncated = false;
  std::vector<ThreadRoot> Roots;
  std::vector<ResolvedAccess> Accesses;
  /// Library fields ("c:<class>|.field") written under the object's own
  /// lock: the first such write of each, and which of its held locks.
  std::map<std::string, std::pair<unsigned, unsigned>> OwnGuarded;
};

} // namespace snag

#endif
