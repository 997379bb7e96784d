//===- Driver.h - Parse each TU once, in parallel, and run the analyses ---===//
#ifndef SNAG_CHECK_DRIVER_H
#define SNAG_CHECK_DRIVER_H

#include "check/BuildFacts.h"
#include "check/Cache.h"
#include "check/Config.h"
#include "check/Facts.h"
#include "check/Sources.h"

#include <optional>
#include <string>
#include <vector>

namespace snag {

struct LockImports;
class FactsMerger;

struct UnitOutcome {
  TUFacts Facts;
  bool Failed = false;
  std::string Error; // Clang's first error, or why the TU was not analysed
  SourcePoint ErrorWhere; // where Clang's first error is, when known
  bool FromCache = false;
  /// Read from the facts the build wrote beside the object file.
  bool FromBuild = false;
  /// Whether the build wrote facts for this unit at all (fresh, stale or a
  /// failure marker), and, for a marker of these very inputs, why the
  /// build could not extract them.
  bool BuildFactsSeen = false;
  std::string BuildFailure;
  /// The cache key of the unit, and every file it read (when parsed here):
  /// what an entry for it is written with.
  std::string Key;
  std::vector<std::string> Deps;
  /// Clang or snag crashed on this unit and crash recovery took over: the
  /// process is left with that unit's leftovers and must not run LLVM's
  /// static destructors at exit.
  bool Crashed = false;
};

struct DriverOptions {
  unsigned Jobs = 0;          // 0: all cores
  FactsCache *Cache = nullptr; // null: --no-cache
  /// Read the facts the build wrote beside each object (`snag facts`).
  bool BuildFacts = false;
  bool Progress = false;      // a progress line on stderr
  bool ParseOnly = false;     // parse, run no analysis (benchmarks)
  unsigned StackMiB = 256;    // each unit's stack, reserved, not committed
  /// Lock functions other units define, and per unit (by index) the
  /// fingerprint of those it calls, for its cache key (see LockImports.h).
  const LockImports *Imports = nullptr;
  std::vector<std::string> ImportKeys;
  /// `snag check`'s own arguments (without the program name), to analyse a
  /// unit again in a child process once one has crashed in this process.
  /// Empty: no child processes (in a child itself).
  std::vector<std::string> ChildArgs;
  /// Given: units are analysed in its order and handed to it as each is
  /// done, so that the facts of a function several TUs define are held
  /// once (FactsMerge.h).
  FactsMerger *Merger = nullptr;
};

/// Analyses every unit and returns one outcome per unit, in order.
std::vector<UnitOutcome> analyseUnits(const std::vector<Unit> &Units,
                                      ConfigFinder &Configs,
                                      const DriverOptions &Opts);

/// Clang's builtin headers, wherever snag runs from: beside snag's install
/// prefix, else where they were when snag was built. Empty if neither.
std::string clangResourceDir();

} // namespace snag

#endif
