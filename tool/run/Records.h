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

/// The process called exec: the new program should write its own file.
struct ExecRecord {
  std::string Path;
  bool Preloaded = true; // the new environment still preloads the runtime
  bool Failed = false;
};

struct ProcessRecord {
  std::string File;
  unsigned FileIndex = 0; // n in snag-rt.<pid>.<n>: later images are higher
  bool Passive = false;   // in ignore_exe: observed, not analysed
  std::vector<ExecRecord> Execs;
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

/// Parses the text of one report file named \p Name.
void parseProcessRecordText(llvm::StringRef Name, llvm::StringRef Text, ProcessRecord &Out);

/// Every report file in \p Dir, sorted by process id.
std::vector<ProcessRecord> readReportDir(llvm::StringRef Dir, std::vector<std::string> &Errors);

/// Processes from report files already read, sorted by process id.
std::vector<ProcessRecord> parseReportFiles(
    const std::vector<std::pair<std::string, std::string>> &NamedTexts);

/// Programs some process exec'd that never wrote a file of their own: the
/// runtime was not loaded into them.
std::vector<std::pair<const ProcessRecord *, const ExecRecord *>>
unobservedExecs(const std::vector<ProcessRecord> &Processes);

/// The module that holds \p Address, or null.
const ModuleRecord *moduleFor(const ProcessRecord &P, uint64_t Address);

} // namespace snag::run

#endif
