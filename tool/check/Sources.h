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
  /// Why this unit cannot be parsed with its command (its database entry
  /// names a working folder that does not exist); empty when it can.
  std::string Problem;
};

struct SourceRequest {
  std::vector<std::string> Paths;
  std::string BuildDir;                // -p
  std::vector<std::string> ExtraFlags; // after `--`
  /// Whether `--` was given. As with clang-tidy, `--` without -p means "no
  /// compilation database: the defaults and these flags".
  bool FlagsGiven = false;
  /// --extra-arg-before and --extra-arg: added to every command, right
  /// after the compiler's name and at the end, as clang-tidy does.
  std::vector<std::string> ExtraArgsBefore, ExtraArgs;
  /// --exclude: globs over paths; matching sources are not analysed.
  std::vector<std::string> Exclude;
};

struct SourcePlan {
  std::vector<Unit> Units;
  /// Each compilation database used, for the summary; empty when only the
  /// built-in defaults were used.
  std::vector<std::string> Databases;
  /// Problems that do not stop the run but make it incomplete (a folder
  /// that cannot be read): reported as errors, exit status 2.
  std::vector<std::string> Errors;
  /// What was changed and why, for --verbose (dropped compiler flags).
  std::vector<std::string> Notes;
};

/// Resolves the request: compile_commands.json from -p, else (unless `--`
/// was given) found upward from each path (also in a `build/` folder beside
/// it), else built-in defaults (the file's language, -std=c++20 or -std=gnu17, -pthread) plus
/// the extra flags. Fails with a message for a path that does not exist, a
/// file that is not C or C++, or a database that cannot be read.
llvm::Expected<SourcePlan> planSources(const SourceRequest &Req);

/// Removes from \p Args (a compiler command, argv[0] first) the flags Clang
/// does not know or cannot use for this target (gcc's -fanalyzer,
/// -fconcepts-diagnostics-depth=N, -mabi=...), as CodeChecker does, and
/// returns them.
std::vector<std::string> dropFlagsClangRejects(std::vector<std::string> &Args);

/// Whether \p Path matches one of the --exclude globs: against the path as
/// given, relative to the working folder, or the file name.
bool isExcluded(llvm::StringRef Path, const std::vector<std::string> &Globs);

/// Whether \p Path names a C or C++ source (not a header) by its extension.
bool isSourceFile(llvm::StringRef Path);
/// Whether \p Path names a C or C++ file of any kind, headers included.
bool isCOrCxxFile(llvm::StringRef Path);

} // namespace snag

#endif
