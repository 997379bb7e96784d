//===- ChangedLines.h - Lines changed since a git ref, for --diff ---------===//
//
// The pull-request mode, as clang-tidy-diff and CodeChecker offer it: only
// findings on changed lines are reported. The changes come from a unified
// diff (--diff FILE, `-` for stdin) or from `git diff` against a ref
// (--lines-from-git REF).
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_CHECK_CHANGEDLINES_H
#define SNAG_CHECK_CHANGEDLINES_H

#include "report/Finding.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <utility>
#include <vector>

namespace snag {

class ChangedLines {
public:
  /// Reads a unified diff. Paths in it are relative to \p Root (a `b/`
  /// prefix, as git writes it, is dropped).
  static llvm::Expected<ChangedLines> fromDiff(llvm::StringRef Diff,
                                               llvm::StringRef Root);
  /// Reads the diff file at \p Path (`-`: standard input), its paths
  /// relative to the working folder.
  static llvm::Expected<ChangedLines> fromDiffFile(llvm::StringRef Path);
  /// Runs `git diff REF` in the working folder's repository: the lines of the
  /// working tree that differ from \p Ref.
  static llvm::Expected<ChangedLines> fromGit(llvm::StringRef Ref);

  /// Whether \p P (an absolute path and a line) is on a changed line.
  bool contains(const SourcePoint &P) const;

private:
  llvm::StringMap<std::vector<std::pair<unsigned, unsigned>>> Ranges;
};

} // namespace snag

#endif
