//===- CondVars.cpp - The table of condition-variable waits ---------------===//
#include "model/CondVars.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringMap.h"

using namespace clang;

namespace snag {

namespace {

// The waits, with and without a time limit. condition_variable_any's
// stop_token overloads always take a predicate, so the count of arguments
// alone tells a predicate apart.
const CondVarWaitAPI Waits[] = {
    // Name                                  no-pred  cv  lock  timed
    {"std::condition_variable::wait",             1, -1, 0, false},
    {"std::condition_variable::wait_for",         2, -1, 0, true},
    {"std::condition_variable::wait_until",       2, -1, 0, true},
    {"std::condition_variable_any::wait",         1, -1, 0, false},
    {"std::condition_variable_any::wait_for",     2, -1, 0, true},
    {"std::condition_variable_any::wait_until",   2, -1, 0, true},
    {"pthread_cond_wait",                         2, 0, 1, false},
    {"pthread_cond_timedwait",                    3, 0, 1, true},
    {"pthread_cond_clockwait",                    4, 0, 1, true},
    {"cnd_wait",                                  2, 0, 1, false},
    {"cnd_timedwait",                             3, 0, 1, true},
};

const llvm::StringMap<const CondVarWaitAPI *> &waitsByName() {
  static const llvm::StringMap<const CondVarWaitAPI *> Map = [] {
    llvm::StringMap<const CondVarWaitAPI *> M;
    for (const CondVarWaitAPI &W : Waits)
      M[W.Name] = &W;
    return M;
  }();
  return Map;
}

/// "std::condition_variable_any::wait" for std::_V2::condition_variable_any:
/// inline namespaces are an ABI detail of each standard library.
std::string nameWithoutInlineNamespaces(const NamedDecl *D) {
  std::string Name = D->getNameAsString();
  for (const DeclContext *C = D->getDeclContext(); C; C = C->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(C)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Name = NS->getNameAsString() + "::" + Name;
    } else if (const auto *R = dyn_cast<RecordDecl>(C)) {
      Name = R->getNameAsString() + "::" + Name;
    }
  }
  return Name;
}

} // namespace

CondVarWait matchCondVarWait(const CallExpr *Call) {
  CondVarWait W;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return W;
  // Cheap filter before building the qualified name.
  llvm::StringRef Short = Callee->getName();
  if (!Short.contains("wait"))
    return W;
  auto It = waitsByName().find(nameWithoutInlineNamespaces(Callee));
  if (It == waitsByName().end())
    return W;
  const CondVarWaitAPI *API = It->second;
  const Expr *Object = nullptr;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call))
    Object = Member->getImplicitObjectArgument();
  if (API->CondVarArg < 0 && !Object)
    return W;
  if (Call->getNumArgs() <= API->LockArg)
    return W;
  W.API = API;
  W.Call = Call;
  W.HasPredicate = Call->getNumArgs() > API->ArgsWithoutPredicate;
  W.CondVar = API->CondVarArg < 0 ? Object : Call->getArg(API->CondVarArg);
  W.Lock = Call->getArg(API->LockArg);
  return W;
}

} // namespace snag
