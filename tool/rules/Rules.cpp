//===- Rules.cpp - The rule table, generated from Rules.def ---------------===//
#include "rules/Rules.h"
#include "Version.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace snag {

static const RuleInfo Rules[] = {
#define RULE(Id, FoundBy, Summary) {Id, FoundBy, Summary},
#include "rules/Rules.def"
};

ArrayRef<RuleInfo> allRules() { return Rules; }

const RuleInfo *findRule(StringRef Id) {
  for (const RuleInfo &R : Rules)
    if (R.Id == Id)
      return &R;
  return nullptr;
}

std::string ruleDocPath(StringRef Id) {
  return ("docs/rules/" + Id + ".md").str();
}

std::string ruleHelpUri(StringRef Id) {
#ifdef SNAG_DOCS_BASE_URL
  return (Twine(SNAG_DOCS_BASE_URL) + "/" + ruleDocPath(Id)).str();
#else
  // The installed docs (share/doc/snag) when present, else the source tree
  // snag was built from: a help link that resolves on the machine at hand.
  std::string Exe = sys::fs::getMainExecutable(nullptr, (void *)&findRule);
  SmallString<256> Installed(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(Installed, "share", "doc", "snag", "rules");
  sys::path::append(Installed, Id + ".md");
  if (sys::fs::exists(Installed))
    return ("file://" + Installed).str();
  return (Twine("file://") + SNAG_SOURCE_DIR + "/" + ruleDocPath(Id)).str();
#endif
}

} // namespace snag
