//===- Coverage.h - Which code of a run ran, from SanitizerCoverage --------===//
//
// A build with -fsanitize-coverage=trace-pc-guard, run with ThreadSanitizer's
// coverage=1, leaves one .sancov file per module and process: the offsets of
// the instrumented blocks that ran. `snag run --static` reads them to tell a
// race suspect whose code ran without a race (refuted) from one whose code
// never ran (not reached).
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUN_COVERAGE_H
#define SNAG_RUN_COVERAGE_H

#include "report/Finding.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace snag {

/// The coverage a run left: for each module, by the file name
/// SanitizerCoverage gives it (the executable's or library's base name),
/// the offsets of the blocks that ran, in every process.
struct RunCoverage {
  std::map<std::string, std::set<uint64_t>> Offsets;
  std::vector<std::string> Problems; // files that are not coverage
};

/// Reads every <module>.<pid>.sancov file in \p Dir (a missing folder is no
/// coverage).
RunCoverage readCoverageFolder(llvm::StringRef Dir);

/// Sets the Reach of every suspect from \p Cov: a side of a suspect ran when
/// a block of the function that holds its line (its innermost function,
/// inlined or not, by the binary's debug information) ran. \p Binaries maps
/// a module's file name to the paths of the binaries of that name the run
/// executed. A side whose line has no code in a binary with coverage leaves
/// the suspect's reach not known. \p Problems receives what could not be
/// read.
void classifyReach(std::vector<StaticSuspect> &Suspects, const RunCoverage &Cov,
                   const std::map<std::string, std::set<std::string>> &Binaries,
                   std::vector<std::string> &Problems);

} // namespace snag

#endif
