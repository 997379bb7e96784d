//===- TsanBuild.h - Recognizing a ThreadSanitizer build; its options -----===//
#ifndef SNAG_RUN_TSANBUILD_H
#define SNAG_RUN_TSANBUILD_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace snag {

/// Which ThreadSanitizer runtime, if any, an executable carries.
enum class TsanRuntime {
  None,        // an ELF file with no ThreadSanitizer runtime
  ClangStatic, // clang's default: the runtime linked into the executable
  ClangShared, // clang -shared-libsan: DT_NEEDED libclang_rt.tsan*.so
  GccShared,   // gcc: DT_NEEDED libtsan.so*
  NotElf,      // a script or something unreadable: its children may be
};

/// Reads the ELF file at \p Path (symbols and DT_NEEDED entries, with LLVM's
/// Object library) and says which runtime it carries. A program found on
/// PATH is looked up first.
TsanRuntime detectTsanRuntime(llvm::StringRef Program);

llvm::StringRef tsanRuntimeName(TsanRuntime R);

/// The TSAN_OPTIONS for the program's environment: the user's own options
/// (\p UserOptions, the current TSAN_OPTIONS, may be empty) win, except
/// log_path, which points into snag's private report folder \p ReportDir
/// (ThreadSanitizer then writes ReportDir/tsan.<pid>). snag adds what a full
/// report needs (second_deadlock_stack=1), exitcode=0 so that the program's
/// own exit status survives (snag reports what ThreadSanitizer found), and
/// the symbolizer when the user names none and snag knows where it is.
/// With \p CoverageDir, coverage=1 and coverage_dir=CoverageDir too (a
/// build with -fsanitize-coverage then leaves its .sancov files there),
/// unless the user sets coverage_dir.
std::string buildTsanOptions(llvm::StringRef UserOptions,
                             llvm::StringRef ReportDir,
                             std::optional<std::string> Symbolizer,
                             std::optional<std::string> CoverageDir = std::nullopt);

/// The llvm-symbolizer ThreadSanitizer should use, when one is found.
std::optional<std::string> findSymbolizer();

} // namespace snag

#endif
