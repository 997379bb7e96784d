//===- Focus.h - A sanitizer ignore list that keeps only race suspects ----===//
//
// `snag check --write-focus FILE` writes a Clang sanitizer special-case list
// (`-fsanitize-ignorelist=FILE`) under `[thread]`: every function of the
// analysed TUs is ignored by ThreadSanitizer (`fun:` with its mangled name)
// except those that access a location of a static race suspect, and system
// headers and files the configuration skips are ignored whole (`src:`). A
// build with it runs near native speed and still watches every suspect.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_CHECK_FOCUS_H
#define SNAG_CHECK_FOCUS_H

#include "check/Analyses.h"
#include "report/Finding.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

namespace snag {

/// The rules whose findings are race suspects.
bool isRaceSuspectRule(llvm::StringRef RuleId);

/// Writes the focus list for the TUs of \p Link, keeping instrumented every
/// function that accesses a location of a finding of \p Suspects (findings
/// of other rules are ignored). Deterministic: sorted, no addresses.
void writeFocusList(llvm::raw_ostream &OS, LinkContext &Link,
                    llvm::ArrayRef<Finding> Suspects);

} // namespace snag

#endif
