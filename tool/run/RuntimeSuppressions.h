//===- RuntimeSuppressions.h - A suppressions file for snag run's findings ===//
//
// In ThreadSanitizer's spirit: one `rule:pattern` a line, `#` comments.
// The rule is a snag rule id (or `*`); the pattern, with `*` wildcards, is
// matched against every frame's function, source file and module, and
// against the lock and variable names the message gives in backticks.
//
//   lock-order-inversion:legacy_cache_*
//   missing-join:*/third_party/*
//   *:`registry_lock`
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUN_RUNTIMESUPPRESSIONS_H
#define SNAG_RUN_RUNTIMESUPPRESSIONS_H

#include "report/Finding.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/GlobPattern.h"

#include <memory>
#include <string>
#include <vector>

namespace snag::run {

class RuntimeSuppressions {
public:
  /// Reads \p Path. False, with \p Error naming the file and line, when it
  /// cannot be read or a line is malformed.
  bool load(llvm::StringRef Path, std::string &Error);
  bool suppresses(const Finding &F) const;
  /// Drops suppressed findings; returns how many.
  unsigned apply(std::vector<Finding> &Findings) const;

private:
  struct Entry {
    std::string Rule; // "*" for any
    llvm::GlobPattern Pattern;
  };
  std::vector<Entry> Entries;
  /// The patterns' text: a GlobPattern refers to the text it was made from.
  std::vector<std::unique_ptr<std::string>> Texts;
};

} // namespace snag::run

#endif
