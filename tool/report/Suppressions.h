//===- Suppressions.h - NOLINT comments and baselines ---------------------===//
//
// snag honours clang-tidy's comment forms with its own rule names:
// `// NOLINT(snag-missing-join)`, `// NOLINTNEXTLINE(snag-*)`, and
// NOLINTBEGIN(...)/NOLINTEND(...) blocks. A NOLINT that names no snag rule
// (a bare NOLINT, or one naming only other tools' checks) does not silence
// snag. Baselines record fingerprints of today's findings so that only new
// ones are reported.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_REPORT_SUPPRESSIONS_H
#define SNAG_REPORT_SUPPRESSIONS_H

#include "report/Finding.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <vector>

namespace snag {

/// Checks one rule selector as written in `rules`, --rules or a NOLINT
/// comment: an optional leading `-` and `snag-` prefix, then a rule id or a
/// glob that matches at least one rule. Returns "" when it is valid, else a
/// message such as "unknown rule 'missing-jion'; did you mean 'missing-join'?".
std::string checkRuleSelector(llvm::StringRef Selector);

class NolintFilter {
public:
  /// Warnings for NOLINT comments in \p File that name a snag rule that
  /// does not exist ("file:line:col: warning: ..."): such a comment
  /// silences nothing.
  std::vector<std::string> checkNames(llvm::StringRef File);

  /// True when a NOLINT comment at the finding's primary location names its
  /// rule.
  bool suppresses(const Finding &F);

  /// Drops suppressed findings from \p Findings.
  void apply(std::vector<Finding> &Findings);

private:
  const std::vector<std::string> &linesOf(llvm::StringRef File);
  llvm::StringMap<std::unique_ptr<std::vector<std::string>>> Files;
};

/// Records the fingerprints of \p R's findings in \p Path. On failure,
/// returns false and sets \p Error.
bool writeBaseline(const Report &R, llvm::StringRef Path, std::string &Error);

/// Removes from \p R every finding whose fingerprint the baseline at \p Path
/// holds. On failure (unreadable or malformed file), returns false and sets
/// \p Error.
bool applyBaseline(Report &R, llvm::StringRef Path, std::string &Error);

} // namespace snag

#endif
