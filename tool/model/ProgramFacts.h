//===- ProgramFacts.h - What one TU tells the link step -------------------===//
//
// Per-function facts extracted from one translation unit: thread starts,
// lock acquisitions with the held set, accesses of possibly shared
// locations, calls. The link step reads nothing else, so these are plain
// data that round-trip through JSON (the per-TU cache files).
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_PROGRAMFACTS_H
#define SNAG_MODEL_PROGRAMFACTS_H

#include "llvm/Support/JSON.h"

namespace snag {

struct ProgramFacts {};

inline llvm::json::Value toJSON(const ProgramFacts &) {
  return llvm::json::Object{};
}
inline bool fromJSON(const llvm::json::Value &V, ProgramFacts &,
                     llvm::json::Path P) {
  return V.getAsObject() != nullptr;
}

} // namespace snag

#endif
