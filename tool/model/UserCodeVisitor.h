//===- UserCodeVisitor.h - A RecursiveASTVisitor over the user's code -----===//
//
// Declarations in system headers hold nothing snag reports and most of the
// AST of a TU: every whole-TU walk skips them. Derived visitors choose the
// rest (lambda bodies, template instantiations) as usual.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_USERCODEVISITOR_H
#define SNAG_MODEL_USERCODEVISITOR_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace snag {

template <typename Derived>
class UserCodeVisitor : public clang::RecursiveASTVisitor<Derived> {
public:
  bool TraverseDecl(clang::Decl *D) {
    if (D && !llvm::isa<clang::TranslationUnitDecl>(D) &&
        D->getASTContext().getSourceManager().isInSystemHeader(D->getLocation()))
      return true;
    return clang::RecursiveASTVisitor<Derived>::TraverseDecl(D);
  }
};

} // namespace snag

#endif
