//===- SarifReader.h - Reads SARIF 2.1.0 logs back into Reports -----------===//
//
// `snag report` merges the SARIF logs of snag check and snag run (and of
// other tools that write SARIF 2.1.0) into one report. The reader keeps what
// the writers need: rule id, level, message, primary and related locations
// with their messages, stacks, fingerprint, origin, and the tool's error
// notifications.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_REPORT_SARIFREADER_H
#define SNAG_REPORT_SARIFREADER_H

#include "report/Finding.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace snag {

struct SarifReadOptions {
  /// Replaces the folder that the log's %SRCROOT% names (the folder the tool
  /// ran in), for a log written on another machine or in another checkout.
  std::string SourceRoot;
};

/// Parses \p Text (the contents of \p Name) and appends its findings and
/// error notifications to \p Into. Paths become absolute where the log says
/// where they are relative to, else stay relative to the working folder.
/// Fails with a message naming the file and the JSON path of the first
/// problem.
llvm::Error readSarif(llvm::StringRef Name, llvm::StringRef Text, Report &Into,
                      const SarifReadOptions &Opts = {});

/// Reads the file \p Path with readSarif.
llvm::Error readSarifFile(llvm::StringRef Path, Report &Into,
                          const SarifReadOptions &Opts = {});

} // namespace snag

#endif
