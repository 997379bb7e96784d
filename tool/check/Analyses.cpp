//===- Analyses.cpp - The table of per-TU and link-step analyses ----------===//
#include "check/Analyses.h"

#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

#include <atomic>

namespace snag {

SourcePoint TUContext::point(SourceLocation Loc) const {
  const SourceManager &SM = AST.getSourceManager();
  SourceLocation L = SM.getFileLoc(Loc);
  PresumedLoc P = SM.getPresumedLoc(L);
  if (P.isInvalid())
    return {};
  llvm::SmallString<256> Path(P.getFilename());
  if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getFileID(L)))
    Path = FE->getName();
  // Relative to the compile command's folder, which the file manager knows,
  // not to snag's working folder.
  SM.getFileManager().makeAbsolutePath(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return {std::string(Path), P.getLine(), P.getColumn()};
}

bool TUContext::isUserCode(SourceLocation Loc) const {
  const SourceManager &SM = AST.getSourceManager();
  if (Loc.isInvalid())
    return false;
  SourceLocation L = SM.getFileLoc(Loc);
  if (SM.isInSystemHeader(L) || SM.isWrittenInBuiltinFile(L) ||
      SM.isWrittenInCommandLineFile(L) || SM.isWrittenInScratchSpace(L))
    return false;
  return !Cfg.skips(point(L).File);
}

uint64_t TUContext::nextSerial() {
  static std::atomic<uint64_t> Next{1};
  return Next++;
}

void TUContext::report(Finding F) {
  if (!Cfg.ruleEnabled(F.RuleId))
    return;
  F.Origin = "check";
  Facts.Findings.push_back(std::move(F));
}

// Declarations of every analysis function, then the tables. Each table ends
// with a sentinel so that it may be empty.
#define TU_ANALYSIS(Name, Fn) void Fn(TUContext &);
#define LINK_ANALYSIS(Name, Fn) void Fn(LinkContext &);
#include "check/Analyses.def"

static const TUAnalysis TUAnalyses[] = {
#define TU_ANALYSIS(Name, Fn) {Name, Fn},
#include "check/Analyses.def"
    {nullptr, nullptr}};

static const LinkAnalysis LinkAnalyses[] = {
#define LINK_ANALYSIS(Name, Fn) {Name, Fn},
#include "check/Analyses.def"
    {nullptr, nullptr}};

llvm::ArrayRef<TUAnalysis> tuAnalyses() {
  return llvm::ArrayRef(TUAnalyses, std::size(TUAnalyses) - 1);
}
llvm::ArrayRef<LinkAnalysis> linkAnalyses() {
  return llvm::ArrayRef(LinkAnalyses, std::size(LinkAnalyses) - 1);
}

} // namespace snag
