//===- TsanReports.h - ThreadSanitizer's report text turned into findings -===//
//
// ThreadSanitizer writes one text report per problem (with log_path, one file
// per process). Clang's default static runtime gives a preloaded library no
// hook to replace, so the general way to bring its reports into snag's is to
// read that text. The reader is forgiving: program output mixed into the
// reports, reports cut short by a crash, and the small differences between
// runtime versions are expected; a report that cannot be read is kept as
// text, never dropped.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUN_TSANREPORTS_H
#define SNAG_RUN_TSANREPORTS_H

#include "report/Finding.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snag {

/// One ThreadSanitizer report as read from the log, before it becomes a
/// finding: its kind, its sections (a heading and the stack under it) and
/// its raw text.
struct TsanSection {
  std::string Heading; // "Write of size 4 at 0x... by thread T2"; "" for the
                       // stack printed right under the WARNING line
  std::vector<Frame> Frames;
};

struct TsanReport {
  std::string Kind;   // "data race", "thread leak", ...
  unsigned Pid = 0;   // from the WARNING line, else from the file's name
  std::string Source; // the log file, and the line the report starts on
  std::vector<TsanSection> Sections;
  std::vector<std::string> RawLines;
  bool Complete = false;       // its SUMMARY line was seen
  unsigned ForeignLines = 0;   // lines in it that were not ThreadSanitizer's
};

/// A report turned into a finding, with what the merge step needs to check
/// it against the shim's own analysis of the same process.
struct TsanFinding {
  Finding F;
  TsanReport Report;
  /// Lock addresses of a lock-order cycle, in cycle order.
  std::vector<uint64_t> CycleLocks;
  /// The threads that took the edges of a lock-order cycle ("T1", "main").
  std::vector<std::string> EdgeThreads;
  /// ThreadSanitizer's mutex ids and their addresses ("M0", 0x...), from
  /// its "Mutex M0 (0x...) created at" sections, so that the collector can
  /// put the variables' names in their place.
  std::vector<std::pair<std::string, uint64_t>> Mutexes;
  /// False when the report's text could not be read as its kind requires;
  /// the finding then carries the raw text and a warning is printed.
  bool Readable = true;
};

/// What reading one or more logs produced.
struct TsanLogResult {
  std::vector<TsanFinding> Findings;
  /// Problems worth telling the user (cut-short reports, text that could not
  /// be read, fewer reports than ThreadSanitizer said it wrote).
  std::vector<std::string> Warnings;
  unsigned ReportsAnnounced = 0; // sum of "ThreadSanitizer: reported N warnings"
  /// ThreadSanitizer's runtime failed ("CHECK failed"): the process died
  /// there, and what it would have found after is lost.
  std::vector<std::string> RuntimeFailures;
};

/// Splits \p Text (the contents of the log \p SourceName) into reports.
/// \p DefaultPid is used when a report does not name its process.
std::vector<TsanReport> splitTsanLog(llvm::StringRef Text,
                                     llvm::StringRef SourceName,
                                     unsigned DefaultPid, TsanLogResult &Out);

/// Turns one report into a finding of snag's (see docs/run.md for the kinds).
TsanFinding tsanReportToFinding(const TsanReport &R);

/// Reads one log's text and appends its findings to \p Out.
void parseTsanLog(llvm::StringRef Text, llvm::StringRef SourceName,
                  TsanLogResult &Out);

/// Reads every ThreadSanitizer log (`tsan.<pid>`) in \p ReportDir.
void collectTsanLogs(llvm::StringRef ReportDir, TsanLogResult &Out);
/// The same, for logs already read: (name, text) pairs sorted by name.
void collectTsanLogTexts(const std::vector<std::pair<std::string, std::string>> &Logs,
                         TsanLogResult &Out);

/// The rule id a ThreadSanitizer report kind becomes ("data race" ->
/// "data-race"); `tsan-report` for a kind snag does not know.
llvm::StringRef tsanKindToRule(llvm::StringRef Kind);

/// Parses one stack frame line (`#3 fn file:line:col (module+0x12)`).
bool parseTsanFrame(llvm::StringRef Line, Frame &F);

/// True for a frame in the user's own code: a known source line outside the
/// system headers, the C library and the sanitizer runtime.
bool isUserFrame(const Frame &F);

} // namespace snag

#endif
