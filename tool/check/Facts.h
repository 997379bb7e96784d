//===- Facts.h - Everything snag keeps from one translation unit ----------===//
#ifndef SNAG_CHECK_FACTS_H
#define SNAG_CHECK_FACTS_H

#include "model/ProgramFacts.h"
#include "report/Finding.h"

#include <string>
#include <vector>

namespace snag {

/// A function defined in the TU, for `snag check --write-focus`: its
/// mangled names (a constructor has several) and the lines its definition
/// spans. Only the user's code: system headers are left out.
struct FocusSymbol {
  std::vector<std::string> Mangled;
  std::string File;
  uint32_t Begin = 0, End = 0;
};

/// The result of analysing one TU: the findings its rules decided alone, and
/// the facts the link step combines across TUs. Cached as one JSON file.
struct TUFacts {
  std::string MainFile;
  std::vector<Finding> Findings;
  ProgramFacts Program;
  /// For the focus list: the TU's functions, and `src:` patterns for the
  /// code that is not the user's (system header folders, files the
  /// configuration skips) where the TU read function definitions.
  std::vector<FocusSymbol> Symbols;
  std::vector<std::string> IgnoredSources;

  /// Not cached: what FactsMerger dropped because another TU's copy of the
  /// same function stands for it. The thread starts of dropped race facts
  /// (entry USR, several at once), and the sorted xxh3 hashes of the USRs
  /// of dropped lock-order facts.
  std::vector<std::pair<std::string, bool>> DroppedStarts;
  std::vector<uint64_t> DroppedLockFunctions;
};

llvm::json::Value toJSON(const FocusSymbol &S);
bool fromJSON(const llvm::json::Value &V, FocusSymbol &S, llvm::json::Path P);

llvm::json::Value toJSON(const TUFacts &F);
bool fromJSON(const llvm::json::Value &V, TUFacts &F, llvm::json::Path P);

} // namespace snag

#endif
