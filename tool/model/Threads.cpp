//===- Threads.cpp - The thread API table and its recognizer --------------===//
#include "model/Threads.h"
#include "check/Analyses.h"
#include "model/FunctionCFG.h"
#include "model/Locks.h"
#include "model/Usr.h"
#include "model/UserCodeVisitor.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace snag {

// Name, kind, flavor, handle, handle by address, entry, first entry arg,
// forwards all args, min args.
static const ThreadApi Table[] = {
    // Starts.
    {"std::thread", ThreadOpKind::Start, ThreadFlavor::StdThread,
     HandleIsObject, false, 0, 1, true, 1},
    {"std::jthread", ThreadOpKind::Start, ThreadFlavor::JThread,
     HandleIsObject, false, 0, 1, true, 1},
    {"std::async", ThreadOpKind::Start, ThreadFlavor::Async, HandleIsResult,
     false, 0, 1, true, 1},
    {"*::emplace_back", ThreadOpKind::Start, ThreadFlavor::StdThread,
     HandleIsObject, false, 0, 1, true, 1},
    {"*::emplace_front", ThreadOpKind::Start, ThreadFlavor::StdThread,
     HandleIsObject, false, 0, 1, true, 1},
    {"*::emplace", ThreadOpKind::Start, ThreadFlavor::StdThread,
     HandleIsObject, false, 1, 2, true, 2},
    {"pthread_create", ThreadOpKind::Start, ThreadFlavor::Pthread, 0, true, 2,
     3, false, 4},
    {"thrd_create", ThreadOpKind::Start, ThreadFlavor::C11, 0, true, 1, 2,
     false, 3},
    // Joins, detaches, queries.
    {"std::thread::join", ThreadOpKind::Join, ThreadFlavor::StdThread,
     HandleIsObject, false, NoArg, NoArg, false, 0},
    {"std::thread::detach", ThreadOpKind::Detach, ThreadFlavor::StdThread,
     HandleIsObject, false, NoArg, NoArg, false, 0},
    {"std::thread::joinable", ThreadOpKind::Joinable, ThreadFlavor::StdThread,
     HandleIsObject, false, NoArg, NoArg, false, 0},
    {"std::jthread::join", ThreadOpKind::Join, ThreadFlavor::JThread,
     HandleIsObject, false, NoArg, NoArg, false, 0},
    {"std::jthread::detach", ThreadOpKind::Detach, ThreadFlavor::JThread,
     HandleIsObject, false, NoArg, NoArg, false, 0},
    {"std::jthread::joinable", ThreadOpKind::Joinable, ThreadFlavor::JThread,
     HandleIsObject, false, NoArg, NoArg, false, 0},
    {"std::jthread::request_stop", ThreadOpKind::RequestStop,
     ThreadFlavor::JThread, HandleIsObject, false, NoArg, NoArg, false, 0},
    {"pthread_join", ThreadOpKind::Join, ThreadFlavor::Pthread, 0, false,
     NoArg, NoArg, false, 1},
    {"pthread_timedjoin_np", ThreadOpKind::Join, ThreadFlavor::Pthread, 0,
     false, NoArg, NoArg, false, 1},
    {"pthread_detach", ThreadOpKind::Detach, ThreadFlavor::Pthread, 0, false,
     NoArg, NoArg, false, 1},
    {"thrd_join", ThreadOpKind::Join, ThreadFlavor::C11, 0, false, NoArg,
     NoArg, false, 1},
    {"thrd_detach", ThreadOpKind::Detach, ThreadFlavor::C11, 0, false, NoArg,
     NoArg, false, 1},
};

llvm::ArrayRef<ThreadApi> threadApiTable() { return Table; }

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

static bool isStdRecord(QualType T, llvm::StringRef Name) {
  T = T.getNonReferenceType().getCanonicalType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier() || RD->getName() != Name)
    return false;
  return RD->isInStdNamespace();
}

bool isStdThreadType(QualType T) { return isStdRecord(T, "thread"); }
bool isJThreadType(QualType T) { return isStdRecord(T, "jthread"); }

static bool isOwningThreadType(QualType T) {
  return isStdThreadType(T) || isJThreadType(T);
}

/// The element type of a container or array type, when it has one.
static QualType elementType(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *AT = T->getAsArrayTypeUnsafe())
    return AT->getElementType();
  if (const auto *Spec = llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          T->getAsCXXRecordDecl())) {
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Args.size() > 0 && Args[0].getKind() == TemplateArgument::Type)
      return Args[0].getAsType();
  }
  return {};
}

bool isThreadContainerType(QualType T) {
  QualType E = elementType(T);
  return !E.isNull() && isOwningThreadType(E);
}

bool isThreadIdType(QualType T) {
  T = T.getNonReferenceType();
  while (const auto *TT = T->getAs<TypedefType>()) {
    llvm::StringRef N = TT->getDecl()->getName();
    if (N == "pthread_t" || N == "thrd_t")
      return true;
    T = TT->getDecl()->getUnderlyingType();
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

static bool isStdMoveCall(const Expr *E) {
  const auto *CE = llvm::dyn_cast<CallExpr>(E);
  if (!CE || CE->getNumArgs() != 1)
    return false;
  const FunctionDecl *FD = CE->getDirectCallee();
  return FD && FD->isInStdNamespace() && FD->getIdentifier() &&
         (FD->getName() == "move" || FD->getName() == "forward");
}

const Expr *stripHandle(const Expr *E) {
  while (E) {
    const Expr *Before = E;
    E = E->IgnoreParenImpCasts();
    if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = llvm::dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *C = llvm::dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *F = llvm::dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (isStdMoveCall(E))
      E = llvm::cast<CallExpr>(E)->getArg(0);
    if (E == Before)
      return E;
  }
  return E;
}

static const FunctionDecl *callOperatorOf(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return nullptr;
  if (RD->isLambda())
    return RD->getLambdaCallOperator();
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getOverloadedOperator() == OO_Call)
      return M;
  return nullptr;
}

/// Looks through the conversion of a callable into a type-erasing wrapper
/// (`std::function<void()> f = [&] {...}`, a starter taking std::function):
/// the wrapper runs the callable it was made from.
static const Expr *unwrapCallable(const Expr *E) {
  E = stripHandle(E);
  const auto *CE = llvm::dyn_cast_or_null<CXXConstructExpr>(E);
  if (!CE || CE->getNumArgs() != 1 ||
      (CE->getConstructor() && CE->getConstructor()->isCopyOrMoveConstructor()))
    return E;
  const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl();
  if (RD && RD->isInStdNamespace() && RD->getIdentifier() &&
      llvm::is_contained({"function", "move_only_function", "copyable_function"},
                         RD->getName()))
    return stripHandle(CE->getArg(0));
  return E;
}

static const FunctionDecl *resolveCallableImpl(const Expr *E, int Depth) {
  if (!E || Depth > 4)
    return nullptr;
  E = unwrapCallable(E);
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref)
      return resolveCallableImpl(U->getSubExpr(), Depth + 1);
  if (const auto *L = llvm::dyn_cast<LambdaExpr>(E))
    return L->getCallOperator();
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = llvm::dyn_cast<FunctionDecl>(DRE->getDecl()))
      return FD;
    if (const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl())) {
      if (const FunctionDecl *Op = callOperatorOf(VD->getType()))
        return Op;
      if (VD->getType().isConstQualified() || VD->isLocalVarDecl())
        if (const Expr *Init = VD->getInit())
          return resolveCallableImpl(Init, Depth + 1);
    }
    return nullptr;
  }
  if (const auto *ME = llvm::dyn_cast<MemberExpr>(E))
    if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(ME->getMemberDecl()))
      return MD;
  if (const auto *CE = llvm::dyn_cast<CallExpr>(E)) {
    // std::bind(f, ...) runs f.
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (FD->isInStdNamespace() && FD->getIdentifier() &&
          (FD->getName() == "bind" || FD->getName() == "bind_front") &&
          CE->getNumArgs() > 0)
        return resolveCallableImpl(CE->getArg(0), Depth + 1);
  }
  // A functor object.
  return callOperatorOf(E->getType());
}

const FunctionDecl *resolveCallable(const Expr *Callable) {
  return resolveCallableImpl(Callable, 0);
}

static const ValueDecl *handleDeclImpl(const Expr *E, int Depth);

/// Follows a reference, pointer or iterator variable to what it refers to:
/// `auto &t = threads[i]`, `for (auto &t : threads)`, `auto it = v.begin()`.
static const ValueDecl *chaseVar(const VarDecl *VD, int Depth) {
  QualType T = VD->getType();
  if (!T->isReferenceType() &&
      (isOwningThreadType(T) || isThreadIdType(T) || isThreadContainerType(T)))
    return VD;
  const Expr *Init = VD->getInit();
  if (!Init || llvm::isa<ParmVarDecl>(VD))
    return VD;
  if (const ValueDecl *Target = handleDeclImpl(Init, Depth + 1))
    return Target;
  return VD;
}

static const ValueDecl *handleDeclImpl(const Expr *E, int Depth) {
  if (!E || Depth > 6)
    return nullptr;
  E = stripHandle(E);
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl()))
      return chaseVar(VD, Depth);
    return DRE->getDecl();
  }
  if (const auto *ME = llvm::dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  if (const auto *ASE = llvm::dyn_cast<ArraySubscriptExpr>(E))
    return handleDeclImpl(ASE->getBase(), Depth + 1);
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(E)) {
    switch (U->getOpcode()) {
    case UO_AddrOf:
    case UO_Deref:
    case UO_PreInc:
    case UO_PostInc:
    case UO_PreDec:
    case UO_PostDec:
      return handleDeclImpl(U->getSubExpr(), Depth + 1);
    default:
      return nullptr;
    }
  }
  if (const auto *BO = llvm::dyn_cast<BinaryOperator>(E))
    if (BO->isAdditiveOp())
      return handleDeclImpl(BO->getLHS()->getType()->isPointerType()
                                ? BO->getLHS()
                                : BO->getRHS(),
                            Depth + 1);
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    switch (OC->getOperator()) {
    case OO_Subscript:
    case OO_Star:
    case OO_Arrow:
    case OO_PlusPlus:
    case OO_MinusMinus:
    case OO_Plus:
      if (OC->getNumArgs() > 0)
        return handleDeclImpl(OC->getArg(0), Depth + 1);
      return nullptr;
    default:
      return nullptr;
    }
  }
  if (const auto *CE = llvm::dyn_cast<CXXConstructExpr>(E)) {
    // Before C++17 an iterator returned by value is copied or moved into the
    // variable (`auto __begin = __range.begin()` of a range-for in C++11):
    // the copy names the same container.
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (CE->getNumArgs() == 1 && Ctor && Ctor->isCopyOrMoveConstructor() &&
        !isOwningThreadType(CE->getType()))
      return handleDeclImpl(CE->getArg(0), Depth + 1);
    return nullptr;
  }
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
    // Element access and iterators: v.at(i), v.front(), v.begin()...
    if (const CXXMethodDecl *MD = MC->getMethodDecl())
      if (MD->getIdentifier() &&
          llvm::is_contained(
              {"at", "front", "back", "begin", "end", "cbegin", "cend",
               "rbegin", "rend", "data", "get", "operator*"},
              MD->getName()))
        return handleDeclImpl(MC->getImplicitObjectArgument(), Depth + 1);
    return nullptr;
  }
  if (const auto *CE = llvm::dyn_cast<CallExpr>(E)) {
    // std::begin(v), std::end(v).
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (FD->getIdentifier() && CE->getNumArgs() == 1 &&
          llvm::is_contained({"begin", "end", "cbegin", "cend"}, FD->getName()))
        return handleDeclImpl(CE->getArg(0), Depth + 1);
  }
  return nullptr;
}

const ValueDecl *handleDecl(const Expr *Handle) {
  return handleDeclImpl(Handle, 0);
}

//===----------------------------------------------------------------------===//
// The recognizer
//===----------------------------------------------------------------------===//

static std::string qualifiedName(const NamedDecl *D) {
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  PrintingPolicy Policy(D->getASTContext().getLangOpts());
  Policy.SuppressInlineNamespace = true;
  Policy.SuppressUnwrittenScope = true;
  D->printQualifiedName(OS, Policy);
  return Name;
}

/// The table row named \p Name with kind \p Kind (or any kind).
static const ThreadApi *lookup(llvm::StringRef Name) {
  for (const ThreadApi &Api : Table)
    if (Api.Name == Name)
      return &Api;
  return nullptr;
}

static const ThreadApi *lookupContainerMethod(const CXXMethodDecl *MD) {
  if (!MD->getIdentifier() || !isThreadContainerType(QualType(
                                  MD->getParent()->getTypeForDecl(), 0)))
    return nullptr;
  return lookup(("*::" + MD->getName()).str());
}

static bool isUserFunction(const UserThreadFunction &U, const FunctionDecl *FD,
                           llvm::StringRef Qualified) {
  llvm::StringRef Want = U.Function;
  Want.consume_front("::");
  if (Want == Qualified)
    return true;
  return FD->getIdentifier() && !Want.contains("::") && Want == FD->getName();
}

/// Whether a std::async call asks for std::launch::deferred only.
static bool isDeferredLaunch(const Expr *Policy) {
  Policy = Policy->IgnoreParenImpCasts();
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Policy))
    if (DRE->getDecl()->getIdentifier())
      return DRE->getDecl()->getName() == "deferred";
  return false;
}

static bool isLaunchPolicy(const Expr *E) {
  QualType T = E->IgnoreParenImpCasts()->getType();
  if (const auto *ET = T->getAs<EnumType>())
    return ET->getDecl()->getIdentifier() && ET->getDecl()->getName() == "launch";
  return false;
}

/// Fills a start from a table row and the call's arguments.
static std::optional<ThreadStart>
makeStart(const Expr *Call, llvm::ArrayRef<const Expr *> Args,
          const ThreadApi &Api, ThreadFlavor Flavor, const Expr *Object) {
  if (Args.size() < Api.MinArgs)
    return std::nullopt;
  ThreadStart S;
  S.Call = Call;
  S.Flavor = Flavor;
  unsigned EntryArg = Api.EntryArg, First = Api.FirstEntryArg;
  if (Api.Flavor == ThreadFlavor::Async) {
    if (isLaunchPolicy(Args[0])) {
      if (isDeferredLaunch(Args[0]) || Args.size() < 2)
        return std::nullopt;
      EntryArg = 1;
      First = 2;
    }
  }
  if (EntryArg >= Args.size())
    return std::nullopt;
  S.Callable = Args[EntryArg];
  S.Lambda = llvm::dyn_cast<LambdaExpr>(unwrapCallable(S.Callable));
  S.Entry = resolveCallable(S.Callable);
  if (Api.ForwardsAllArgs) {
    for (unsigned I = First; I < Args.size(); ++I)
      S.EntryArgs.push_back(Args[I]);
  } else if (First < Args.size()) {
    S.EntryArgs.push_back(Args[First]);
  }
  if (Api.HandleArg == HandleIsObject) {
    S.Handle = Object ? Object : Call;
    S.IntoContainer = Object != nullptr;
  } else if (Api.HandleArg >= 0 && unsigned(Api.HandleArg) < Args.size()) {
    const Expr *H = Args[Api.HandleArg]->IgnoreParenImpCasts();
    if (Api.HandleByAddress) {
      if (const auto *U = llvm::dyn_cast<UnaryOperator>(H);
          U && U->getOpcode() == UO_AddrOf)
        H = U->getSubExpr()->IgnoreParenImpCasts();
      else
        H = nullptr; // a pointer: the handle lives elsewhere
    }
    S.Handle = H;
  }
  S.JoinsOnDestruction =
      Flavor == ThreadFlavor::JThread || Flavor == ThreadFlavor::Async;
  return S;
}

static llvm::SmallVector<const Expr *, 6> argsOf(const CallExpr *CE) {
  llvm::SmallVector<const Expr *, 6> Args;
  unsigned I = 0;
  // A member operator call carries the object as argument 0.
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(CE))
    if (llvm::isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()))
      I = 1;
  for (; I < CE->getNumArgs(); ++I)
    if (!llvm::isa<CXXDefaultArgExpr>(CE->getArg(I)))
      Args.push_back(CE->getArg(I));
  return Args;
}

std::optional<ThreadStart> ThreadModel::start(const Expr *E) const {
  if (!E)
    return std::nullopt;
  if (const auto *CCE = llvm::dyn_cast<CXXConstructExpr>(E)) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    if (!Ctor || Ctor->isCopyOrMoveConstructor() || CCE->getNumArgs() == 0)
      return std::nullopt;
    QualType T = CCE->getType();
    const ThreadApi *Api = isStdThreadType(T)   ? lookup("std::thread")
                           : isJThreadType(T) ? lookup("std::jthread")
                                              : nullptr;
    if (!Api)
      return std::nullopt;
    llvm::SmallVector<const Expr *, 6> Args(CCE->arguments());
    return makeStart(CCE, Args, *Api, Api->Flavor, nullptr);
  }
  const auto *CE = llvm::dyn_cast<CallExpr>(E);
  if (!CE)
    return std::nullopt;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return std::nullopt;
  llvm::SmallVector<const Expr *, 6> Args = argsOf(CE);
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(CE)) {
    const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD);
    if (const ThreadApi *Api = MD ? lookupContainerMethod(MD) : nullptr) {
      ThreadFlavor Flavor =
          isJThreadType(elementType(QualType(MD->getParent()->getTypeForDecl(), 0)))
              ? ThreadFlavor::JThread
              : ThreadFlavor::StdThread;
      // push_back(std::thread(f)) is a move, not a start: only emplace with
      // a callable starts a thread here.
      if (!Args.empty() && isOwningThreadType(Args[Api->EntryArg < Args.size()
                                                       ? Api->EntryArg
                                                       : 0]
                                                  ->getType()))
        return std::nullopt;
      return makeStart(CE, Args, *Api, Flavor,
                       MC->getImplicitObjectArgument());
    }
  }
  std::string Name = qualifiedName(FD);
  if (const ThreadApi *Api = lookup(Name);
      Api && Api->Kind == ThreadOpKind::Start)
    return makeStart(CE, Args, *Api, Api->Flavor, nullptr);
  // The user's starters: configured, or inferred (a pool of its own with
  // no handle the lifecycle rules could follow).
  std::vector<UserThreadFunction> Inferred;
  if (std::optional<unsigned> Entry = starterOf(FD)) {
    Inferred.emplace_back();
    Inferred.back().Function = Name;
    Inferred.back().EntryArg = *Entry;
  }
  for (const std::vector<UserThreadFunction> *List :
       {&Cfg.Threads, const_cast<const std::vector<UserThreadFunction> *>(&Inferred)})
  for (const UserThreadFunction &U : *List) {
    if (U.Action != ThreadAction::Start || !isUserFunction(U, FD, Name))
      continue;
    bool HasHandle = U.HandleArg >= 0;
    unsigned MinArgs = std::max<unsigned>(U.EntryArg + 1,
                                          HasHandle ? U.HandleArg + 1 : 0);
    // The handle argument is a pointer to the handle the call fills in, as
    // with pthread_create.
    ThreadApi Api{U.Function, ThreadOpKind::Start, ThreadFlavor::User,
                  HasHandle ? U.HandleArg : NoArg, HasHandle,
                  int(U.EntryArg), int(U.EntryArg) + 1, true, MinArgs};
    // For a method, argument 0 of the configuration may name the object.
    auto S = makeStart(CE, Args, Api, ThreadFlavor::User, nullptr);
    if (S) {
      S->Many = U.Many;
      S->UserHandle = HasHandle;
      // An inferred starter that returns its handle's block: the call's
      // value is the handle its joiners take.
      // Each call of an inferred starter starts one thread.
      if (List == &Inferred)
        if (const ThreadFunctionFact *F = threadFunction(FD)) {
          // A scheduler's jobs run on the threads that drain its queue:
          // one at a time on one thread, at once on a pool.
          S->Many = F->Many;
          if (!F->Many)
            S->Queue = F->Queue;
          S->Family = F->Family;
          if (F->ReturnsHandle)
            S->Handle = CE;
        }
    }
    return S;
  }
  return std::nullopt;
}

std::optional<unsigned> ThreadModel::starterOf(const FunctionDecl *FD) const {
  const ThreadFunctionFact *F = threadFunction(FD);
  if (!F || F->Entry < 0)
    return std::nullopt;
  return unsigned(F->Entry);
}

const ThreadFunctionFact *
ThreadModel::threadFunction(const FunctionDecl *FD) const {
  if (!FD)
    return nullptr;
  FD = FD->getCanonicalDecl();
  auto [Slot, New] = Functions.try_emplace(FD);
  if (!New)
    return Slot->second ? &*Slot->second : nullptr; // or being inferred
  std::optional<ThreadFunctionFact> Out;
  if (const FunctionDecl *Def = FD->getDefinition()) {
    if (Def->hasBody()) {
      ThreadFunctionFact F;
      F.Usr = usrOf(FD);
      inferStarter(Def, F);
      if (F.Entry < 0)
        inferScheduler(Def, F);
      inferJoiner(Def, F);
      if (F.Entry >= 0 || F.Joins >= 0)
        Out = std::move(F);
    }
  } else if (Imports && !Imports->ThreadFunctions.empty()) {
    auto It = Imports->ThreadFunctions.find(usrOf(FD));
    if (It != Imports->ThreadFunctions.end())
      Out = It->second;
  }
  // A call through the base class runs the override this TU defines.
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD);
      !Out && MD && MD->isVirtual())
    Out = overridden(MD);
  auto &Stored = Functions[FD];
  Stored = std::move(Out);
  return Stored ? &*Stored : nullptr;
}

/// The parameter \p E names, when it names one of \p FD's directly.
static std::optional<unsigned> paramOf(const FunctionDecl *FD, const Expr *E) {
  const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
  const auto *P = DRE ? llvm::dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
  for (unsigned I = 0; P && I < FD->getNumParams(); ++I)
    if (FD->getParamDecl(I) == P)
      return I;
  return std::nullopt;
}

/// The field \p E reads of what a variable points to (`c->probe`), with
/// that variable; through a local copy of a parameter too.
static const FieldDecl *fieldOf(const Expr *E) {
  const auto *ME = llvm::dyn_cast<MemberExpr>(E->IgnoreParenCasts());
  return ME ? llvm::dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
}

/// "f:<USR>" of the field a handle expression names (`th->id`, `&th->id`).
static std::string familyOf(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(E);
      U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref))
    E = U->getSubExpr()->IgnoreParenImpCasts();
  const FieldDecl *F = fieldOf(E);
  std::string Usr = F ? usrOf(F) : "";
  return Usr.empty() ? "" : "f:" + Usr;
}

/// The variable a field access reads through (`th` of `th->id`).
static const VarDecl *baseVarOf(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(E);
      U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref))
    E = U->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *ME = llvm::dyn_cast<MemberExpr>(E))
    E = ME->getBase()->IgnoreParenImpCasts();
  const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E);
  return DRE ? llvm::dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

/// The calls of \p Name... functions in \p Body.
static std::vector<const CallExpr *>
callsOf(const Stmt *Body, std::initializer_list<llvm::StringRef> Names,
        unsigned MinArgs) {
  struct Finder : RecursiveASTVisitor<Finder> {
    std::initializer_list<llvm::StringRef> Names;
    unsigned MinArgs;
    std::vector<const CallExpr *> Out;
    bool VisitCallExpr(CallExpr *CE) {
      if (const FunctionDecl *F = CE->getDirectCallee())
        if (F->getIdentifier() && llvm::is_contained(Names, F->getName()) &&
            CE->getNumArgs() >= MinArgs)
          Out.push_back(CE);
      return true;
    }
  } F;
  F.Names = Names;
  F.MinArgs = MinArgs;
  F.TraverseStmt(const_cast<Stmt *>(Body));
  return F.Out;
}

void ThreadModel::inferJoiner(const FunctionDecl *Def,
                              ThreadFunctionFact &Out) const {
  // pthread_join(p->id), pthread_join(*p) or pthread_join(p) on a
  // parameter: the function joins what its caller hands it.
  for (const CallExpr *CE :
       callsOf(Def->getBody(), {"pthread_join", "thrd_join"}, 1)) {
    const VarDecl *Base = baseVarOf(CE->getArg(0));
    const auto *P = llvm::dyn_cast_or_null<ParmVarDecl>(Base);
    for (unsigned I = 0; P && I < Def->getNumParams(); ++I)
      if (Def->getParamDecl(I) == P) {
        Out.Joins = int32_t(I);
        if (Out.Family.empty())
          Out.Family = familyOf(CE->getArg(0));
        return;
      }
  }
}

void ThreadModel::inferStarter(const FunctionDecl *Def,
                               ThreadFunctionFact &Out) const {
  std::optional<unsigned> Entry = starterEntry(Def);
  if (!Entry)
    return;
  Out.Entry = int32_t(*Entry);
  // Where the handle goes: `pthread_create(&th->id, ...)`, and whether the
  // block holding it is what the starter returns.
  for (const CallExpr *CE : callsOf(Def->getBody(), {"pthread_create"}, 3)) {
    std::string Family = familyOf(CE->getArg(0));
    if (Family.empty())
      continue;
    Out.Family = Family;
    const VarDecl *Block = baseVarOf(CE->getArg(0));
    struct Returns : RecursiveASTVisitor<Returns> {
      const VarDecl *Block;
      bool Found = false;
      bool VisitReturnStmt(ReturnStmt *R) {
        if (const Expr *V = R->getRetValue())
          if (const auto *DRE =
                  llvm::dyn_cast<DeclRefExpr>(V->IgnoreParenImpCasts()))
            Found |= Block && DRE->getDecl() == Block;
        return true;
      }
    } R;
    R.Block = Block;
    R.TraverseStmt(Def->getBody());
    Out.ReturnsHandle = R.Found;
    break;
  }
}

void overriddenMethods(const CXXMethodDecl *MD,
                       llvm::SmallVectorImpl<const CXXMethodDecl *> &Out) {
  for (const CXXMethodDecl *Base : MD->overridden_methods()) {
    Base = Base->getCanonicalDecl();
    if (llvm::is_contained(Out, Base))
      continue;
    Out.push_back(Base);
    overriddenMethods(Base, Out);
  }
}

std::optional<ThreadFunctionFact>
ThreadModel::overridden(const CXXMethodDecl *MD) const {
  if (!Overriders) {
    // The TU's method definitions by the methods they override, in source
    // order (the first starter wins, the same on every run).
    Overriders.emplace();
    struct Finder : RecursiveASTVisitor<Finder> {
      OverriderMap *Out;
      bool shouldVisitTemplateInstantiations() const { return true; }
      bool VisitCXXMethodDecl(CXXMethodDecl *M) {
        if (!M->isThisDeclarationADefinition() || !M->hasBody() ||
            M->size_overridden_methods() == 0)
          return true;
        llvm::SmallVector<const CXXMethodDecl *, 4> Bases;
        overriddenMethods(M, Bases);
        for (const CXXMethodDecl *B : Bases)
          (*Out)[B].push_back(M);
        return true;
      }
    } F;
    F.Out = &*Overriders;
    F.TraverseDecl(MD->getASTContext().getTranslationUnitDecl());
  }
  auto It = Overriders->find(MD->getCanonicalDecl());
  if (It == Overriders->end())
    return std::nullopt;
  std::optional<ThreadFunctionFact> Out;
  for (const CXXMethodDecl *M : It->second)
    if (const ThreadFunctionFact *F = threadFunction(M); F && F->Entry >= 0) {
      if (!Out) {
        Out = *F;
        Out->Usr = usrOf(MD);
        Out->Joins = -1;
      } else {
        mergeOverride(*Out, *F);
      }
    }
  return Out;
}

void mergeOverride(ThreadFunctionFact &Into, const ThreadFunctionFact &Other) {
  // A call may reach either override: jobs of two queues, or of a pool,
  // may run at once.
  if (Into.Queue != Other.Queue || Other.Many) {
    Into.Many = true;
    Into.Queue.clear();
  }
}

/// Whether \p T is a function pointer or a type-erasing callable wrapper
/// (std::function and its kin).
static bool isCallableType(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isFunctionPointerType() || T->isMemberFunctionPointerType())
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
         llvm::is_contained({"function", "move_only_function", "copyable_function"},
                            RD->getName());
}

/// Whether \p S mentions the declaration \p D (a parameter, a local, a
/// field or a global).
static bool mentions(const Stmt *S, const ValueDecl *D) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const ValueDecl *D;
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      Found |= E->getDecl() == D;
      return !Found;
    }
    bool VisitMemberExpr(MemberExpr *E) {
      Found |= E->getMemberDecl() == D;
      return !Found;
    }
  } F;
  F.D = D;
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

/// The field of `this` or the global that an object expression lives in:
/// `queue_` of `queue_.emplace(...)`, `this->jobs_.items` or `g_jobs[i]`.
static const ValueDecl *storageOf(const Expr *E) {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = stripHandle(E);
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(E)) {
      if (llvm::isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        return llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
      E = ME->getBase();
    } else if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl());
      return VD && VD->hasGlobalStorage() ? VD : nullptr;
    } else if (const auto *ASE = llvm::dyn_cast<ArraySubscriptExpr>(E)) {
      E = ASE->getBase();
    } else if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
      E = MC->getImplicitObjectArgument();
    } else if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
      E = OC->getNumArgs() > 0 ? OC->getArg(0) : nullptr;
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

/// Whether \p Fn, or a function it calls (a few calls deep), takes a
/// callable out of \p Queue and calls it: a call through a function pointer
/// or a std::function that is read from \p Queue, directly or through a
/// local assigned from it (`auto fn = queue_.front().function; ... fn(arg)`).
static bool drains(const FunctionDecl *Fn, const ValueDecl *Queue, int Depth) {
  const FunctionDecl *Def = Fn ? Fn->getDefinition() : nullptr;
  if (!Def || !Def->hasBody() || Depth > 3)
    return false;
  const Stmt *Body = Def->getBody();
  if (!mentions(Body, Queue)) {
    // Not here: perhaps in what it calls (a static entry point that calls
    // the method that drains).
    struct Finder : RecursiveASTVisitor<Finder> {
      std::vector<const FunctionDecl *> Out;
      bool VisitCallExpr(CallExpr *CE) {
        if (const FunctionDecl *FD = CE->getDirectCallee())
          Out.push_back(FD);
        return true;
      }
    } F;
    F.TraverseStmt(const_cast<Stmt *>(Body));
    return llvm::any_of(F.Out, [&](const FunctionDecl *Callee) {
      return drains(Callee, Queue, Depth + 1);
    });
  }
  // Locals that hold what was taken out of the queue.
  struct Taker : RecursiveASTVisitor<Taker> {
    const ValueDecl *Queue;
    llvm::SmallPtrSet<const VarDecl *, 4> Taken;
    std::vector<const Expr *> Callees;
    std::vector<const CallExpr *> Direct;
    bool VisitVarDecl(VarDecl *VD) {
      if (VD->isLocalVarDecl() && VD->getInit() && mentions(VD->getInit(), Queue))
        Taken.insert(VD);
      return true;
    }
    bool VisitBinaryOperator(BinaryOperator *BO) {
      if (BO->getOpcode() == BO_Assign && mentions(BO->getRHS(), Queue))
        if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(stripHandle(BO->getLHS())))
          if (const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl()))
            Taken.insert(VD);
      return true;
    }
    bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *OC) {
      // `task = std::move(queue_.front())` on a std::function.
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
          mentions(OC->getArg(1), Queue))
        if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(stripHandle(OC->getArg(0))))
          if (const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl()))
            Taken.insert(VD);
      if (OC->getOperator() == OO_Call && OC->getNumArgs() > 0 &&
          isCallableType(OC->getArg(0)->getType()))
        Callees.push_back(OC->getArg(0));
      return true;
    }
    bool VisitCallExpr(CallExpr *CE) {
      if (llvm::isa<CXXOperatorCallExpr>(CE))
        return true;
      if (CE->getDirectCallee())
        Direct.push_back(CE);
      else if (CE->getCallee())
        Callees.push_back(CE->getCallee());
      return true;
    }
  } T;
  T.Queue = Queue;
  T.TraverseStmt(const_cast<Stmt *>(Body));
  for (const Expr *Callee : T.Callees) {
    if (mentions(Callee, Queue))
      return true;
    for (const VarDecl *VD : T.Taken)
      if (mentions(Callee, VD))
        return true;
  }
  for (const CallExpr *CE : T.Direct)
    if (drains(CE->getDirectCallee(), Queue, Depth + 1))
      return true;
  return false;
}

const std::vector<std::pair<ThreadStart, bool>> &
ThreadModel::apiStarts(ASTContext &AST) const {
  if (ApiStarts)
    return *ApiStarts;
  ApiStarts.emplace();
  // Thread API starts only: a start through a starter of the user's would
  // ask for inferences this one may be part of.
  struct Finder : RecursiveASTVisitor<Finder> {
    const ThreadModel *Model;
    ASTContext *AST;
    std::vector<std::pair<ThreadStart, bool>> *Out;
    bool shouldVisitLambdaBodies() const { return true; }
    bool shouldVisitTemplateInstantiations() const { return true; }
    bool VisitExpr(Expr *E) {
      if (const auto *CE = llvm::dyn_cast<CallExpr>(E)) {
        const FunctionDecl *FD = CE->getDirectCallee();
        const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(FD);
        const ThreadApi *Api = !FD                    ? nullptr
                               : MD && lookupContainerMethod(MD)
                                   ? lookupContainerMethod(MD)
                                   : lookup(qualifiedName(FD));
        if (!Api || Api->Kind != ThreadOpKind::Start)
          return true;
      } else if (!llvm::isa<CXXConstructExpr>(E)) {
        return true;
      }
      if (auto St = Model->start(E); St && St->Entry)
        Out->emplace_back(std::move(*St), isInLoop(*AST, E));
      return true;
    }
  } F;
  F.Model = this;
  F.AST = &AST;
  F.Out = &*ApiStarts;
  F.TraverseDecl(AST.getTranslationUnitDecl());
  return *ApiStarts;
}

void ThreadModel::inferScheduler(const FunctionDecl *Def,
                                 ThreadFunctionFact &Out) const {
  // The callable parameters, each with the next one (what it is given) for
  // a function pointer.
  for (unsigned I = 0; I < Def->getNumParams(); ++I) {
    const ParmVarDecl *Fn = Def->getParamDecl(I);
    if (!isCallableType(Fn->getType()))
      continue;
    bool Pointer = Fn->getType()->isFunctionPointerType();
    if (Pointer && I + 1 >= Def->getNumParams())
      continue;
    const ParmVarDecl *Arg = Pointer ? Def->getParamDecl(I + 1) : nullptr;
    // Where the body stores it: an insertion into a container or an
    // assignment to a field of the object or a global.
    struct Stores : RecursiveASTVisitor<Stores> {
      const ParmVarDecl *Fn, *Arg;
      const ValueDecl *Queue = nullptr;
      bool Given(const Stmt *S) const {
        return mentions(S, Fn) && (!Arg || mentions(S, Arg));
      }
      bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
        bool Passes = false;
        for (const Expr *A : MC->arguments())
          Passes |= mentions(A, Fn);
        if (!Queue && Passes && Given(MC))
          Queue = storageOf(MC->getImplicitObjectArgument());
        return true;
      }
      bool VisitBinaryOperator(BinaryOperator *BO) {
        if (!Queue && BO->getOpcode() == BO_Assign && mentions(BO->getRHS(), Fn))
          Queue = storageOf(BO->getLHS());
        return true;
      }
    } S;
    S.Fn = Fn;
    S.Arg = Arg;
    S.TraverseStmt(Def->getBody());
    if (!S.Queue)
      continue;
    // The threads that drain it, among the TU's thread API starts.
    unsigned Drainers = 0;
    bool Many = false;
    for (const auto &[Start, InLoop] : apiStarts(Def->getASTContext()))
      if (drains(Start.Entry, S.Queue, 0)) {
        ++Drainers;
        Many |= InLoop || Start.Many;
      }
    if (!Drainers)
      continue;
    Out.Entry = int32_t(I);
    Out.Queue = (llvm::isa<FieldDecl>(S.Queue) ? "f:" : "g:") + usrOf(S.Queue);
    Out.Many = Many || Drainers > 1;
    return;
  }
}

std::optional<ThreadJoin> ThreadModel::join(const CallExpr *CE) const {
  if (auto Op = handleOp(CE)) {
    if (Op->Kind != ThreadOpKind::Join)
      return std::nullopt;
    return ThreadJoin{CE, Op->Handle, ""};
  }
  const FunctionDecl *FD = CE->getDirectCallee();
  const ThreadFunctionFact *F = FD ? threadFunction(FD) : nullptr;
  if (!F || F->Joins < 0)
    return std::nullopt;
  llvm::SmallVector<const Expr *, 6> Args = argsOf(CE);
  if (unsigned(F->Joins) >= Args.size())
    return std::nullopt;
  return ThreadJoin{CE, Args[F->Joins]->IgnoreParenImpCasts(), F->Family};
}

std::optional<unsigned> ThreadModel::starterEntry(const FunctionDecl *Def) const {
  // The pthread_create calls of the body, with their entry and argument.
  struct Creates : RecursiveASTVisitor<Creates> {
    std::vector<const CallExpr *> Out;
    bool VisitCallExpr(CallExpr *CE) {
      if (const FunctionDecl *F = CE->getDirectCallee())
        if (F->getIdentifier() &&
            (F->getName() == "pthread_create" || F->getName() == "thrd_create") &&
            CE->getNumArgs() >= 3)
          Out.push_back(CE);
      return true;
    }
  } Finder;
  Finder.TraverseStmt(Def->getBody());
  for (const CallExpr *CE : Finder.Out) {
    bool Pthread = CE->getDirectCallee()->getName() == "pthread_create";
    const Expr *Entry = CE->getArg(Pthread ? 2 : 1);
    const Expr *Arg = CE->getArg(Pthread ? 3 : 2);
    // pthread_create(&t, 0, fn, arg) on the starter's own parameters.
    std::optional<unsigned> Fn = paramOf(Def, Entry), Payload = paramOf(Def, Arg);
    if (Fn && Payload && *Payload == *Fn + 1)
      return Fn;
    // pigz's launch: the parameters go into a block, the block to the
    // thread, whose entry calls one field with the other.
    const FunctionDecl *Runs = resolveCallable(Entry);
    const auto *Block = llvm::dyn_cast<DeclRefExpr>(Arg->IgnoreParenCasts());
    if (!Runs || !Runs->getDefinition() || !Block)
      continue;
    llvm::DenseMap<const FieldDecl *, unsigned> Stored; // field -> parameter
    struct Stores : RecursiveASTVisitor<Stores> {
      const FunctionDecl *Def;
      const ValueDecl *Block;
      llvm::DenseMap<const FieldDecl *, unsigned> *Out;
      bool VisitBinaryOperator(BinaryOperator *BO) {
        if (BO->getOpcode() != BO_Assign)
          return true;
        const auto *ME = llvm::dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
        const auto *Base = ME ? llvm::dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts())
                              : nullptr;
        if (!Base || Base->getDecl() != Block)
          return true;
        if (std::optional<unsigned> P = paramOf(Def, BO->getRHS()))
          if (const auto *F = llvm::dyn_cast<FieldDecl>(ME->getMemberDecl()))
            (*Out)[F] = *P;
        return true;
      }
    } S;
    S.Def = Def;
    S.Block = Block->getDecl();
    S.Out = &Stored;
    S.TraverseStmt(Def->getBody());
    if (Stored.size() < 2)
      continue;
    struct Calls : RecursiveASTVisitor<Calls> {
      std::vector<const CallExpr *> Out;
      bool VisitCallExpr(CallExpr *CE) {
        if (!CE->getDirectCallee())
          Out.push_back(CE);
        return true;
      }
    } C;
    C.TraverseStmt(Runs->getDefinition()->getBody());
    for (const CallExpr *Call : C.Out) {
      const FieldDecl *Callee = fieldOf(Call->getCallee());
      const FieldDecl *Given = Call->getNumArgs() == 1 ? fieldOf(Call->getArg(0)) : nullptr;
      auto F = Callee ? Stored.find(Callee) : Stored.end();
      auto G = Given ? Stored.find(Given) : Stored.end();
      if (F != Stored.end() && G != Stored.end() && G->second == F->second + 1)
        return F->second;
    }
  }
  return std::nullopt;
}

static bool isSelfCall(const Expr *E) {
  const auto *CE = llvm::dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
  if (!CE)
    return false;
  const FunctionDecl *FD = CE->getDirectCallee();
  return FD && FD->getIdentifier() &&
         (FD->getName() == "pthread_self" || FD->getName() == "thrd_current");
}

std::optional<ThreadHandleOp>
ThreadModel::userHandleOp(const CallExpr *CE, const FunctionDecl *FD,
                          llvm::StringRef Name) const {
  for (const UserThreadFunction &U : Cfg.Threads) {
    if (U.Action == ThreadAction::Start || U.HandleArg < 0 ||
        !isUserFunction(U, FD, Name))
      continue;
    llvm::SmallVector<const Expr *, 6> Args = argsOf(CE);
    if (unsigned(U.HandleArg) >= Args.size())
      return std::nullopt;
    ThreadHandleOp Op;
    Op.Call = CE;
    Op.Kind = U.Action == ThreadAction::Join ? ThreadOpKind::Join
                                             : ThreadOpKind::Detach;
    Op.Flavor = ThreadFlavor::User;
    // The handle or a pointer to it: handleDecl() looks through `&`.
    Op.Handle = Args[U.HandleArg]->IgnoreParenImpCasts();
    return Op;
  }
  return std::nullopt;
}

std::optional<ThreadHandleOp> ThreadModel::handleOp(const Expr *E) const {
  const auto *CE = llvm::dyn_cast_or_null<CallExpr>(E);
  if (!CE)
    return std::nullopt;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return std::nullopt;
  std::string Name = qualifiedName(FD);
  const ThreadApi *Api = lookup(Name);
  if (!Api)
    return userHandleOp(CE, FD, Name);
  if (Api->Kind == ThreadOpKind::Start)
    return std::nullopt;
  ThreadHandleOp Op;
  Op.Call = CE;
  Op.Kind = Api->Kind;
  Op.Flavor = Api->Flavor;
  if (Api->HandleArg == HandleIsObject) {
    const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(CE);
    if (!MC)
      return std::nullopt;
    Op.Handle = MC->getImplicitObjectArgument();
  } else {
    llvm::SmallVector<const Expr *, 6> Args = argsOf(CE);
    if (Args.size() < Api->MinArgs || Api->HandleArg < 0)
      return std::nullopt;
    Op.Handle = Args[Api->HandleArg]->IgnoreParenImpCasts();
    Op.OnSelf = isSelfCall(Op.Handle);
  }
  return Op;
}

std::optional<ThreadMove> ThreadModel::move(const Expr *E) const {
  if (const auto *CCE = llvm::dyn_cast_or_null<CXXConstructExpr>(E)) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    if (Ctor && Ctor->isMoveConstructor() && CCE->getNumArgs() == 1 &&
        isOwningThreadType(CCE->getType()))
      return ThreadMove{CCE, nullptr, CCE->getArg(0)};
    return std::nullopt;
  }
  if (const auto *OC = llvm::dyn_cast_or_null<CXXOperatorCallExpr>(E)) {
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
        isOwningThreadType(OC->getArg(0)->getType()) &&
        isOwningThreadType(OC->getArg(1)->getType()))
      return ThreadMove{OC, OC->getArg(0), OC->getArg(1)};
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Every start in the TU
//===----------------------------------------------------------------------===//

namespace {
class StartCollector : public UserCodeVisitor<StartCollector> {
public:
  StartCollector(TUContext &Ctx, const ThreadModel &Model,
                 std::vector<ThreadStartSite> &Out)
      : Ctx(Ctx), Model(Model), Out(Out) {}

  bool shouldVisitLambdaBodies() const { return true; }

  bool VisitExpr(Expr *E) {
    if (!llvm::isa<CallExpr>(E) && !llvm::isa<CXXConstructExpr>(E))
      return true;
    if (!Ctx.isUserCode(E->getBeginLoc()))
      return true;
    if (auto S = Model.start(E)) {
      ThreadStartSite Site;
      Site.Start = std::move(*S);
      Site.Caller = enclosingFunction(Ctx.AST, E);
      Site.InLoop = isInLoop(Ctx.AST, E);
      Out.push_back(std::move(Site));
    }
    return true;
  }

private:
  TUContext &Ctx;
  const ThreadModel &Model;
  std::vector<ThreadStartSite> &Out;
};

struct ThreadCache {
  const void *Key = nullptr;
  std::unique_ptr<ThreadModel> Model;
  std::vector<ThreadStartSite> Starts;
  bool HaveStarts = false;
};
thread_local ThreadCache Cache;

ThreadCache &cacheFor(TUContext &Ctx) {
  if (Cache.Key != tuKey(Ctx)) {
    Cache = ThreadCache();
    Cache.Key = tuKey(Ctx);
    Cache.Model = std::make_unique<ThreadModel>(Ctx.Cfg, Ctx.Imports);
  }
  return Cache;
}
} // namespace

const ThreadModel &threadModel(TUContext &Ctx) { return *cacheFor(Ctx).Model; }

const std::vector<ThreadStartSite> &threadStarts(TUContext &Ctx) {
  ThreadCache &C = cacheFor(Ctx);
  if (!C.HaveStarts) {
    StartCollector(Ctx, *C.Model, C.Starts)
        .TraverseDecl(Ctx.AST.getTranslationUnitDecl());
    C.HaveStarts = true;
  }
  return C.Starts;
}

} // namespace snag
