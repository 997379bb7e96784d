//===- FactsMerge.h - One copy of a header function's facts across TUs ----===//
//
// A function defined in a header (an inline function, a template, a
// method defined in its class) is in the facts of every TU that includes
// the header, and a large tree's TUs are mostly such functions. The link
// step reads one copy of each: FactsMerger drops the others as each TU's
// facts arrive, so that what snag holds grows with the distinct functions
// of the tree, not with TUs x headers.
//
// Which copy stays is the one the link step would read anyway: units are
// merged in the order of their main file's path (whatever order they
// finish in), and
//   - race facts (ProgramFacts::Functions): the first copy among TUs that
//     define no `main`, and a `main` TU's own copy when it comes before that
//     one (each `main` links with every TU that defines none, see
//     ConcurrencyModel);
//   - lock-order facts: the first copy in the order the units were named
//     (LockFactsIndex reads them in that order); the TUs whose copy went
//     keep a hash of its USR, for "is this call chain within one TU";
//   - process facts (fork-with-threads reads every copy): a copy equal to
//     one an earlier TU keeps, file names compared rather than indices;
//   - focus symbols: dropped unless --write-focus asked for them, and then
//     a symbol equal to one already kept.
// Thread starts in a dropped copy are counted still (ManyRoots in
// LockFactsIndex counts a start once per TU that defines it).
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_CHECK_FACTSMERGE_H
#define SNAG_CHECK_FACTSMERGE_H

#include "check/Driver.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <mutex>
#include <vector>

namespace snag {

class FactsMerger {
public:
  /// \p Units in the order analyseUnits() returns their outcomes.
  FactsMerger(const std::vector<Unit> &Units, bool KeepSymbols);

  /// The order to analyse the units in: by path, so that few wait for an
  /// earlier one before they can be merged.
  const std::vector<size_t> &order() const { return Order; }

  /// The outcomes analyseUnits() fills (its buffer, by unit index).
  void attach(UnitOutcome *Outcomes) { Out = Outcomes; }

  /// Unit \p I's outcome is final: merges it, and every unit after it by
  /// path that was waiting for it. Safe to call from several threads.
  void done(size_t I);

  /// Unit \p I was analysed again (LockImports): \p New replaces its
  /// outcome, and copies other units dropped for being equal to one of its
  /// old copies are given back to them. Call for the units of one round in
  /// path order, after done() saw every unit.
  void replace(size_t I, UnitOutcome &&New);

  /// Every unit is merged (after the last replace()): the link step may
  /// read the outcomes.
  void finish();

  /// What the merge dropped: copies of functions' facts kept and dropped,
  /// for SNAG_STATS.
  struct Counts {
    size_t Kept = 0, Dropped = 0;
  };
  Counts counts() const; // call once no thread merges

private:
  struct ProcessCopy {
    size_t Unit;
    size_t Index;                 // in its unit's Program.Processes
    std::vector<size_t> Droppers; // units that dropped a copy equal to it
  };

  void merge(size_t I, bool Again);
  /// Unit \p Unit's lock-order copy of \p Usr goes: a unit named before it
  /// defines the function too.
  void dropLockOrderCopy(size_t Unit, llvm::StringRef Usr);

  std::vector<size_t> Order;  // unit indices by path
  std::vector<unsigned> Rank; // position in Order, by unit index
  std::vector<bool> Finished; // done() seen, by unit index
  size_t Next = 0;            // the first unit of Order not merged yet
  std::vector<size_t> KeptIn, DroppedIn; // copies, by unit index
  UnitOutcome *Out = nullptr;
  bool KeepSymbols;
  std::mutex Lock;
  /// By USR: the rank of the first TU without `main` that defines it (race
  /// facts), and the index of the first TU that defines it (lock-order
  /// facts).
  llvm::StringMap<unsigned> FirstWithoutMain, FirstLockOrder;
  llvm::StringMap<std::vector<ProcessCopy>> Processes;
  llvm::DenseSet<uint64_t> SymbolsKept;
};

} // namespace snag

#endif
