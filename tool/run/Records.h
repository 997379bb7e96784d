//===- Records.h - Reading the runtime's per-process report files ---------===//
//
// The format is runtime/SnagRecord.h's; this is its only reader.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUN_RECORDS_H
#define SNAG_RUN_RECORDS_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace snag::run {

struct ModuleRecord {
  uint64_t Bias = 0;
  std::string Path;
  std::vector<std::pair<uint64_t, uint64_t>> Ranges;
};

struct StackRecord {
  std::string Title;
  std::vector<uint64_t> Pcs;
};

struct FindingRecord {
  std::string Rule;
  std::string Message;
  std::vector<std::pair<unsigned, uint64_t>> Locks; // id, address
  std::vector<StackRecord> Stacks;
  bool Complete = false;
};

struct ProcessRecord {
  std::string File;
  int Pid = 0;
  int ParentPid = 0;
  std::string Executable;
  std::vector<ModuleRecord> Modules; // in the order written; later wins
  std::vector<FindingRecord> Findings;
  std::string EndedBy; // set when snag ended the process, and why
};

/// Parses one report file. Unknown lines are skipped: a newer runtime may
/// say more than this reader knows.
bool parseProcessRecord(llvm::StringRef Path, ProcessRecord &Out, std::string &Error);

/// Every report file in \p Dir, sorted by process id.
std::vector<ProcessRecord> readReportDir(llvm::StringRef Dir, std::vector<std::string> &Errors);

/// The module that holds \p Address, or null.
const ModuleRecord *moduleFor(const ProcessRecord &P, uint64_t Address);

} // namespace snag::run

#endif
