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

/// Clang-style diagnostics: `file:line:col: warning: message [snag-id]`, the
/// source line with a caret, then `note:` lines and stacks.
void writeText(const Report &R, llvm::raw_ostream &OS, bool Color);
void writeJson(const Report &R, llvm::raw_ostream &OS);
void writeSarif(const Report &R, llvm::raw_ostream &OS);

/// Writes \p R in \p F to \p OutputPath, or to stderr for text (stdout for
/// JSON, SARIF and HTML) when the path is empty or "-". Returns false and
/// prints a message when the file cannot be written.
bool emitReport(const Report &R, Format F, llvm::StringRef OutputPath,
                const HtmlOptions &Html = {});

/// The exit status for a finished run: 2 when snag could not do its job, 1
/// when it found something, else 0.
int exitStatusFor(const Report &R);

} // namespace snag

#endif
