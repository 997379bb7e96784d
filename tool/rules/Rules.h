//===- Rules.h - Access to the rule registry (Rules.def) ------------------===//
#ifndef SNAG_RULES_RULES_H
#define SNAG_RULES_RULES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace snag {

struct RuleInfo {
  llvm::StringRef Id;
  llvm::StringRef FoundBy;
  llvm::StringRef Summary;
};

/// Every registered rule, in registry order.
llvm::ArrayRef<RuleInfo> allRules();

/// The rule with this bare id, or null. Runtime-only kinds that are not
/// rules of their own (ThreadSanitizer pass-through kinds) return null.
const RuleInfo *findRule(llvm::StringRef Id);

/// Where a rule's documentation lives, relative to the repository root.
std::string ruleDocPath(llvm::StringRef Id);

/// The URL written into SARIF helpUri.
std::string ruleHelpUri(llvm::StringRef Id);

} // namespace snag

#endif
