//===- Sources.h - From PATH... and -p to the list of TUs to analyse ------===//
#ifndef SNAG_CHECK_SOURCES_H
#define SNAG_CHECK_SOURCES_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace snag {

struct Unit {
  std::string File; // absolute
  clang::tooling::CompileCommand Command;
};

struct SourceRequest {
  std::vector<std::string> Paths;
  std::string BuildDir;                // -p
  std::vector<std::string> ExtraFlags; // after `--`
  /// Whether `--` was given. As with clang-tidy, `--` without -p means "no
  /// compilation database: the defaults and these flags".
  bool FlagsGiven = false;
};

struct SourcePlan {
  std::vector<Unit> Units;
  /// Each compilation database used, for the summary; empty when only the
  /// built-in defaults were used.
  std::vector<std::string> Databases;
};

/// Resolves the request: compile_commands.json from -p, else (unless `--`
/// was given) found upward from each path (also in a `build/` folder beside
/// it), else built-in defaults (the file's language, -std=c++20 or -std=gnu17, -pthread) plus
/// the extra flags. Fails with a message for a path that does not exist, a
/// file that is not C or C++, or a database that cannot be read.
llvm::Expected<SourcePlan> planSources(const SourceRequest &Req);

/// Whether \p Path names a C or C++ source (not a header) by its extension.
bool isSourceFile(llvm::StringRef Path);
/// Whether \p Path names a C or C++ file of any kind, headers included.
bool isCOrCxxFile(llvm::StringRef Path);

} // namespace snag

#endif
