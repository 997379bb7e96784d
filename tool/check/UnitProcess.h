//===- UnitProcess.h - Analysing one unit in a child snag process ---------===//
//
// When crash recovery cannot be trusted (a unit crashed or hit a fatal error
// in this process, so LLVM's state may be corrupt), a unit is analysed again
// by a fresh snag process: the same `snag check` command line, restricted to
// that one unit by hidden options, which writes the unit's outcome (its
// facts, or why it failed) as JSON to a file the parent reads. A child that
// dies, whatever the way, fails that unit only.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_CHECK_UNITPROCESS_H
#define SNAG_CHECK_UNITPROCESS_H

#include "check/Driver.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace snag {

/// The hidden options that make `snag check` analyse one unit for a parent.
inline constexpr const char ChildUnitOption[] = "internal-unit";
inline constexpr const char ChildResultOption[] = "internal-result";

/// Analyses unit \p Index (whose main file is \p File) of the command line
/// \p CheckArgs (`snag check`'s own arguments, without the program name) in
/// a child process and returns its outcome.
UnitOutcome analyseInChild(const std::vector<std::string> &CheckArgs,
                           size_t Index, llvm::StringRef File);

/// In the child: writes \p Out to \p Path. False when it cannot be written.
bool writeChildOutcome(const UnitOutcome &Out, llvm::StringRef Path);

/// SNAG_DEBUG_CRASH=NAME[:kill],..., for snag's own tests only: crash while
/// analysing a unit whose main file is named NAME, with a fault crash
/// recovery catches, or (`:kill`) with SIGKILL, which nothing catches.
void debugCrashIfAsked(llvm::StringRef MainFile);

} // namespace snag

#endif
