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

/// A lock's line of the contention profile (times in nanoseconds).
struct ProfileLockRecord {
  unsigned Id = 0;
  uint64_t Address = 0;
  uint64_t Acquisitions = 0, Contended = 0, WaitTotal = 0, WaitMax = 0, HoldTotal = 0,
           HoldMax = 0;
};

/// A call site where threads waited for a lock.
struct ProfileSiteRecord {
  unsigned LockId = 0;
  uint64_t LockAddress = 0;
  uint64_t Pc = 0; // the return address of the program's lock call
  uint64_t Waits = 0, WaitTotal = 0, WaitMax = 0;
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
  bool Profiled = false; // wrote a contention profile
  std::vector<ProfileLockRecord> ProfileLocks;
  std::vector<ProfileSiteRecord> ProfileSites;
  uint64_t OtherLocks = 0, OtherAcquisitions = 0;
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
