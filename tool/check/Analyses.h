//===- Analyses.h - What runs on each TU, and what runs at the link step --===//
//
// Rules are thin functions over shared models. A TU rule sees one parsed
// translation unit through a TUContext and reports findings it can decide
// alone; a model extractor fills the TU's ProgramFacts; a link rule sees the
// facts of every TU. The tables in Analyses.cpp list them all.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_CHECK_ANALYSES_H
#define SNAG_CHECK_ANALYSES_H

#include "check/Config.h"
#include "check/Facts.h"

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/ArrayRef.h"

namespace snag {

struct LockImports;

/// One parsed TU, as the per-TU rules see it.
class TUContext {
public:
  TUContext(clang::ASTContext &AST, const Config &Cfg, TUFacts &Facts)
      : AST(AST), Cfg(Cfg), Facts(Facts), Serial(nextSerial()) {}

  clang::ASTContext &AST;
  const Config &Cfg;
  TUFacts &Facts;
  /// Tells this TU apart from every other of the run, where addresses may
  /// be reused from one TU to the next: per-TU caches are keyed by it.
  const uint64_t Serial;
  /// Lock functions other TUs define, when the driver knows them.
  const LockImports *Imports = nullptr;

  /// Where \p Loc is, as the user reads it (the expansion of a macro).
  SourcePoint point(clang::SourceLocation Loc) const;
  /// Whether \p Loc is in the user's code: not a system header, not a
  /// built-in, and not in a file the configuration skips.
  bool isUserCode(clang::SourceLocation Loc) const;
  /// Adds a finding, unless its rule is disabled.
  void report(Finding F);

private:
  static uint64_t nextSerial();
};

/// The per-TU rules and extractors, in the order they run.
using TUAnalysisFn = void (*)(TUContext &);
struct TUAnalysis {
  const char *Name;
  TUAnalysisFn Run;
};
llvm::ArrayRef<TUAnalysis> tuAnalyses();

/// The link-step rules: they read every TU's facts.
class LinkContext {
public:
  LinkContext(llvm::ArrayRef<const TUFacts *> Units,
              std::vector<Finding> &Out)
      : Units(Units), Out(Out) {}
  llvm::ArrayRef<const TUFacts *> Units;
  void report(Finding F) { Out.push_back(std::move(F)); }
  /// Something the user should know about the whole run (printed once).
  void note(std::string Text) { Notes.push_back(std::move(Text)); }
  std::vector<std::string> Notes;

private:
  std::vector<Finding> &Out;
};
using LinkAnalysisFn = void (*)(LinkContext &);
struct LinkAnalysis {
  const char *Name;
  LinkAnalysisFn Run;
};
llvm::ArrayRef<LinkAnalysis> linkAnalyses();

} // namespace snag

#endif
