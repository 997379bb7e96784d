//===- StaticConfirm.h - Runtime findings that confirm snag check's -------===//
//
// `snag run --static FILE.sarif` reads the SARIF log of a `snag check` run
// and marks each runtime finding that confirms a static one: a rule of the
// same family (a data race confirms unprotected-shared-state or
// atomicity-violation), in the same file, on a line the static finding
// names (primary or related) or about the same variable.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUN_STATICCONFIRM_H
#define SNAG_RUN_STATICCONFIRM_H

#include "report/Finding.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace snag {

/// Reads the results of a SARIF log written by `snag check` (rule id,
/// message, primary and related locations).
llvm::Expected<std::vector<Finding>> readStaticSarif(llvm::StringRef Path);

/// Whether two paths name one source file: equal, or one a relative path
/// (a SARIF log's URI) that ends the other.
bool sameSourceFile(llvm::StringRef A, llvm::StringRef B);

/// The static rules a runtime rule confirms ("data-race" ->
/// unprotected-shared-state, atomicity-violation).
std::vector<llvm::StringRef> confirmedStaticRules(llvm::StringRef RuntimeRule);

/// Sets Finding::Confirms ("file:line" of the static finding) on every
/// runtime finding in \p Findings that confirms one in \p Static, and
/// returns the race suspects of \p Static (unprotected-shared-state,
/// atomicity-violation), each with the runtime finding that confirms it, if
/// any, in the static log's order.
std::vector<StaticSuspect> markConfirmations(std::vector<Finding> &Findings,
                                             const std::vector<Finding> &Static);

} // namespace snag

#endif
