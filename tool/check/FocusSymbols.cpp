//===- FocusSymbols.cpp - The functions a TU defines, for the focus list --===//
//
// Records each function the TU defines in the user's code (template
// instantiations and lambdas included) with its mangled names and the lines
// its definition spans, and where non-user code defines functions (system
// header folders, files the configuration skips). `snag check --write-focus`
// turns these into a sanitizer ignore list (check/Focus.cpp).
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace snag {

namespace {

class SymbolCollector : public RecursiveASTVisitor<SymbolCollector> {
public:
  explicit SymbolCollector(TUContext &Ctx) : Ctx(Ctx), Names(Ctx.AST) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    add(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    add(L->getCallOperator());
    return true;
  }

private:
  void add(FunctionDecl *FD) {
    if (!FD || !FD->doesThisDeclarationHaveABody() || FD->isDependentContext() ||
        FD->isInvalidDecl() || !Seen.insert(FD).second)
      return;
    const SourceManager &SM = Ctx.AST.getSourceManager();
    SourceLocation Begin = SM.getExpansionLoc(FD->getBeginLoc());
    if (Begin.isInvalid())
      return;
    if (!Ctx.isUserCode(Begin)) {
      ignoreSourceOf(Begin);
      return;
    }
    FocusSymbol S;
    if (isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD))
      S.Mangled = Names.getAllManglings(FD);
    else
      S.Mangled.push_back(Names.getName(FD));
    if (S.Mangled.empty() || S.Mangled.front().empty())
      return;
    SourcePoint From = Ctx.point(Begin);
    SourcePoint To = Ctx.point(SM.getExpansionLoc(FD->getEndLoc()));
    S.File = From.File;
    S.Begin = From.Line;
    S.End = To.File == From.File ? std::max(To.Line, From.Line) : From.Line;
    Ctx.Facts.Symbols.push_back(std::move(S));
  }

  /// A `src:` pattern for code that is not the user's: a system header's
  /// folder, or the very file the configuration skips.
  void ignoreSourceOf(SourceLocation Loc) {
    const SourceManager &SM = Ctx.AST.getSourceManager();
    if (!SeenFiles.insert(SM.getFileID(Loc)).second)
      return;
    SourcePoint P = Ctx.point(Loc);
    if (P.File.empty())
      return;
    std::string Pattern = P.File;
    if (SM.isInSystemHeader(Loc)) {
      // The compiler matches `src:` against the path as it spells it, and
      // drivers spell system folders through `..`
      // (/usr/lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12): what
      // follows the last `..` is the same in every spelling.
      llvm::StringRef Spelled = llvm::sys::path::parent_path(P.File);
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(SM.getFileID(Loc)))
        Spelled = llvm::sys::path::parent_path(FE->getName());
      size_t Up = Spelled.rfind("/../");
      Pattern = Up == llvm::StringRef::npos
                    ? llvm::sys::path::parent_path(P.File).str() + "/*"
                    : "*/" + Spelled.substr(Up + 4).str() + "/*";
    }
    if (Patterns.insert(Pattern).second)
      Ctx.Facts.IgnoredSources.push_back(std::move(Pattern));
  }

  TUContext &Ctx;
  ASTNameGenerator Names;
  llvm::DenseSet<const FunctionDecl *> Seen;
  llvm::DenseSet<FileID> SeenFiles;
  llvm::StringSet<> Patterns;
};

} // namespace

void collectFocusSymbols(TUContext &Ctx) {
  SymbolCollector(Ctx).TraverseDecl(Ctx.AST.getTranslationUnitDecl());
}

} // namespace snag
