//===- Collect.h - Turning the runtime's records into findings ------------===//
#ifndef SNAG_RUN_COLLECT_H
#define SNAG_RUN_COLLECT_H

#include "report/Finding.h"
#include "run/Records.h"

#include <vector>

namespace snag::run {

/// Symbolizes every stack and lock, names them in messages, drops what one
/// finding already says (a lock-order cycle that deadlocked this very run),
/// and merges findings that differ only in thread or process.
/// \p WithoutDebugInfo, when given, receives the modules that findings had
/// to be placed in by offset because they have no debug information.
/// The contention profile of the processes that wrote one (--profile):
/// locks named as findings name them, call sites symbolized and placed past
/// the program's lock wrappers, both sorted by total wait.
LockProfile collectProfile(const std::vector<ProcessRecord> &Processes);

std::vector<Finding> collectFindings(const std::vector<ProcessRecord> &Processes,
                                     std::vector<std::string> *WithoutDebugInfo = nullptr);

/// The name of the global variable at \p Address in process \p P ("`m`"),
/// or "" when it is not one.
std::string variableName(const ProcessRecord &P, uint64_t Address);

} // namespace snag::run

#endif
