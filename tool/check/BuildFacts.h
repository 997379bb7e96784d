//===- BuildFacts.h - Which objects a compiler command makes, and their facts
//
// `snag facts` (the compiler launcher) writes each TU's facts beside its
// object file, as foo.o.snag; `snag check` finds them from the same compile
// command in the compilation database. Both sides read the command with the
// one function here, so that they agree on where the facts are.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_CHECK_BUILDFACTS_H
#define SNAG_CHECK_BUILDFACTS_H

#include "check/Sources.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace snag {

/// One C or C++ source that a compiler command compiles to an object file.
struct CompileJob {
  std::string Source; // absolute
  std::string Object; // absolute
  /// The command with the other sources of a multi-source command removed:
  /// one source, as a compilation database entry has it.
  std::vector<std::string> CommandLine;
};

/// The compile jobs of \p Argv (the compiler first) run in \p Directory: one
/// per C or C++ source when the command compiles to objects (-c), none for
/// any other command (linking, -E, -M, -MM, -S, -fsyntax-only, -###).
std::vector<CompileJob> compileJobs(llvm::ArrayRef<std::string> Argv,
                                    llvm::StringRef Directory);

/// Where the facts of the object file \p Object are kept.
std::string factsPathFor(llvm::StringRef Object);

/// The facts file the build wrote for \p U, from its command's output file
/// (the database's "output", else the command's -o), or "" when the
/// command makes no object.
std::string buildFactsPath(const Unit &U);

} // namespace snag

#endif
