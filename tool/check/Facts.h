//===- Facts.h - Everything snag keeps from one translation unit ----------===//
#ifndef SNAG_CHECK_FACTS_H
#define SNAG_CHECK_FACTS_H

#include "model/ProgramFacts.h"
#include "report/Finding.h"

#include <string>
#include <vector>

namespace snag {

/// The result of analysing one TU: the findings its rules decided alone, and
/// the facts the link step combines across TUs. Cached as one JSON file.
struct TUFacts {
  std::string MainFile;
  std::vector<Finding> Findings;
  ProgramFacts Program;
};

llvm::json::Value toJSON(const TUFacts &F);
bool fromJSON(const llvm::json::Value &V, TUFacts &F, llvm::json::Path P);

} // namespace snag

#endif
