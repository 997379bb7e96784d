//===- Usr.cpp - Program-wide names of declarations -----------------------===//
#include "model/Usr.h"

#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/SmallString.h"

namespace snag {

std::string usrOf(const clang::Decl *D) {
  llvm::SmallString<128> Buf;
  if (!D || clang::index::generateUSRForDecl(D, Buf))
    return "";
  return std::string(Buf);
}

} // namespace snag
