//===- HtmlWriter.h - A self-contained HTML page for a Report -------------===//
//
// One file that opens in any browser with no network: findings grouped by
// rule and file with the code around each location, notes and stacks, a
// drawn graph of every lock-order cycle, and filters by rule and file.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_REPORT_HTMLWRITER_H
#define SNAG_REPORT_HTMLWRITER_H

#include "report/Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace snag {

/// The file and line where one lock of a cycle was taken.
struct LockCycleEdge {
  std::string From; // the lock held
  std::string To;   // the lock taken while holding From
  std::string Actor; // who takes it: a function or a thread ("T2")
  SourcePoint TakenAt;
  SourcePoint HeldAt; // where From was taken, when the finding says
  /// The edge is the same code as the one before it, run with the objects
  /// swapped (a cycle of one lock member of two objects).
  bool Swapped = false;
};

/// The locks of a lock-order cycle and where each order was taken, as the
/// finding's message, notes and stack titles tell them.
struct LockCycle {
  std::vector<std::string> Locks; // in cycle order
  std::vector<LockCycleEdge> Edges;
};

/// The cycle a lock-order-inversion finding describes; empty when the
/// finding names fewer than two orders.
std::optional<LockCycle> lockCycleOf(const Finding &F);

struct HtmlOptions {
  /// The SARIF logs a merged report was read from, listed in its header.
  std::vector<std::string> Inputs;
};

/// Writes \p R as one HTML page. Source files are read now, for the code
/// around each location; a file that is gone is said to be.
void writeHtml(const Report &R, llvm::raw_ostream &OS,
               const HtmlOptions &Opts = {});

} // namespace snag

#endif
