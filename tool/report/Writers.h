//===- Writers.h - Text, SARIF 2.1.0 and JSON writers for a Report --------===//
#ifndef SNAG_REPORT_WRITERS_H
#define SNAG_REPORT_WRITERS_H

#include "report/Finding.h"
#include "report/HtmlWriter.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

namespace snag {

enum class Format { Text, Json, Sarif, Html };

std::optional<Format> parseFormat(llvm::StringRef Name);

/// How a report is written, beyond its format.
struct WriteOptions {
  /// Colours in text output: unset means "when the stream is a terminal and
  /// NO_COLOR is not set".
  std::optional<bool> Color;
  /// SARIF helpUri for each rule: "{id}" in it is replaced by the rule id,
  /// else "/<id>.md" is appended. Empty: the base snag was configured with
  /// (SNAG_DOCS_BASE_URL), or no helpUri at all.
  std::string DocsUrl;
  /// For --format html.
  HtmlOptions Html;
};

/// Whether to colour output to \p OS under \p Choice (see WriteOptions).
bool useColor(llvm::raw_ostream &OS, std::optional<bool> Choice);

/// Clang-style diagnostics: `file:line:col: warning: message [snag-id]`, the
/// source line with a caret, then `note:` lines and stacks.
void writeText(const Report &R, llvm::raw_ostream &OS, bool Color);
void writeJson(const Report &R, llvm::raw_ostream &OS);
void writeSarif(const Report &R, llvm::raw_ostream &OS,
                const WriteOptions &Opts = {});

/// A duration for people: "850 ns", "12.4 us", "3.1 ms", "2.05 s".
std::string formatDuration(uint64_t Ns);

/// Writes \p R in \p F to \p OutputPath, or to stderr for text (stdout for
/// JSON and SARIF) when the path is empty or "-". Returns false and prints a
/// message when the report cannot be written, whole (an unwritable path, a
/// full disk, a closed stdout).
bool emitReport(const Report &R, Format F, llvm::StringRef OutputPath,
                const WriteOptions &Opts = {});

/// The exit status for a finished run: 2 when snag could not do its job, 1
/// when it found something, else 0.
int exitStatusFor(const Report &R);

} // namespace snag

#endif
