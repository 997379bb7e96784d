//===- Usr.h - Program-wide names of declarations -------------------------===//
//
// A USR names a declaration the same way in every TU, so the link step can
// match a function, global or field across files without the AST.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_USR_H
#define SNAG_MODEL_USR_H

#include <string>

namespace clang {
class Decl;
}

namespace snag {

/// The USR of \p D, or "" for a null declaration or one that has none.
std::string usrOf(const clang::Decl *D);

} // namespace snag

#endif
