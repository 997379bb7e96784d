//===- TsanMerge.h - ThreadSanitizer's findings merged with the shim's ----===//
//
// The shim and ThreadSanitizer watch the same run. The shim's lock-order
// analysis knows what ThreadSanitizer's does not (gate locks, single-threaded
// phases), so in every process the shim saw, ThreadSanitizer's cycles are
// checked against it: a cycle the shim also reports appears once (the
// shim's), a cycle the shim left out on purpose does not appear. Where the
// shim did not see a process, ThreadSanitizer's cycles are kept unless one
// thread took every edge. Everything else is deduplicated by fingerprint,
// across the two sources and across processes.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUN_TSANMERGE_H
#define SNAG_RUN_TSANMERGE_H

#include "run/Records.h"
#include "run/TsanReports.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace snag {

/// What the shim's record files say about lock order, per process.
struct ShimLockView {
  /// Processes the shim recorded (its record files' headers).
  std::set<unsigned> Pids;
  /// Set by `snag run`: the shim is preloaded into every process it runs
  /// (a ThreadSanitizer build cannot be linked statically), and writes a
  /// record file only when it has something to say, so a process with no
  /// file was seen and found clean.
  bool SawEveryProcess = false;
  /// The lock addresses of each lock-order-inversion or deadlock the shim
  /// reported, per process.
  std::map<unsigned, std::vector<std::set<uint64_t>>> Cycles;
};

/// The processes and lock-order cycles in the shim's records (read by
/// run/Records.h from the report folder).
ShimLockView shimLockView(const std::vector<run::ProcessRecord> &Processes);

/// Adds ThreadSanitizer's findings to \p Findings (which holds the shim's),
/// dropping the lock-order cycles the shim answers for and the duplicates.
/// \p Notes receives one line per dropped cycle, for --verbose output.
void mergeTsanFindings(std::vector<Finding> &Findings,
                       std::vector<TsanFinding> Tsan, const ShimLockView &Shim,
                       std::vector<std::string> &Notes);

/// Drops findings with the same rule and fingerprint (the first stays), and
/// findings a second source reports at the same place under the same rule.
void dedupFindings(std::vector<Finding> &Findings);

/// What `snag run` does with ThreadSanitizer's logs once the program has
/// ended: reads ReportDir/tsan.<pid>, checks them against the shim's records
/// \p Processes, merges the result into \p Findings (the shim's), and writes
/// warnings (and, with \p Verbose, the dropped cycles) to \p Diag.
void addTsanFindings(llvm::StringRef ReportDir,
                     const std::vector<run::ProcessRecord> &Processes,
                     std::vector<Finding> &Findings, llvm::raw_ostream &Diag,
                     bool Verbose, bool ShimSawEveryProcess = true);
/// The same, for logs already read from the report folder; \p
/// RuntimeFailures receives ThreadSanitizer's own crashes ("CHECK failed").
void addTsanFindings(const std::vector<std::pair<std::string, std::string>> &Logs,
                     const std::vector<run::ProcessRecord> &Processes,
                     std::vector<Finding> &Findings, llvm::raw_ostream &Diag,
                     std::vector<std::string> &RuntimeFailures);

} // namespace snag

#endif
