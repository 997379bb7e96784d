//===- FactsExtractor.cpp - Fills a TU's ProgramFacts for the link step ---===//
//
// For every function body of the user's code: the threads it starts (entry,
// what each parameter of the entry receives, whether several run), the
// calls it makes (what each reference/pointer parameter receives), and its
// reads and writes of locations another thread could reach, each with the
// locks held on every path (from the lock model) and the threads this
// function started that may still be running there (a small dataflow over
// the same CFG: a start adds, a join of the same handle removes).
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "model/Locks.h"
#include "model/ProgramFacts.h"
#include "model/Threads.h"
#include "model/Usr.h"

#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <deque>
#include <map>
#include <optional>

using namespace clang;

namespace snag {

namespace {

/// Standard containers and strings: their methods read or write the whole
/// container. One table, by method name.
const char *const ContainerTypes[] = {
    "std::vector",        "std::deque",         "std::list",
    "std::forward_list",  "std::map",           "std::multimap",
    "std::set",           "std::multiset",      "std::unordered_map",
    "std::unordered_set", "std::unordered_multimap",
    "std::unordered_multiset", "std::queue",    "std::stack",
    "std::priority_queue", "std::basic_string", "std::array",
};
/// Containers whose operator[] inserts (a write of the whole container).
const char *const InsertingSubscript[] = {"std::map", "std::unordered_map"};

enum class ContainerEffect { None, Read, Write, Element };

struct ContainerMethod {
  const char *Name;
  ContainerEffect Effect;
};
const ContainerMethod ContainerMethods[] = {
    {"push_back", ContainerEffect::Write},   {"emplace_back", ContainerEffect::Write},
    {"push_front", ContainerEffect::Write},  {"emplace_front", ContainerEffect::Write},
    {"pop_back", ContainerEffect::Write},    {"pop_front", ContainerEffect::Write},
    {"push", ContainerEffect::Write},        {"pop", ContainerEffect::Write},
    {"emplace", ContainerEffect::Write},     {"emplace_hint", ContainerEffect::Write},
    {"insert", ContainerEffect::Write},      {"insert_or_assign", ContainerEffect::Write},
    {"try_emplace", ContainerEffect::Write}, {"erase", ContainerEffect::Write},
    {"clear", ContainerEffect::Write},       {"resize", ContainerEffect::Write},
    {"reserve", ContainerEffect::Write},     {"assign", ContainerEffect::Write},
    {"swap", ContainerEffect::Write},        {"append", ContainerEffect::Write},
    {"operator=", ContainerEffect::Write},   {"operator+=", ContainerEffect::Write},
    {"splice", ContainerEffect::Write},      {"merge", ContainerEffect::Write},
    {"sort", ContainerEffect::Write},        {"remove", ContainerEffect::Write},
    {"size", ContainerEffect::Read},         {"empty", ContainerEffect::Read},
    {"find", ContainerEffect::Read},         {"count", ContainerEffect::Read},
    {"contains", ContainerEffect::Read},     {"length", ContainerEffect::Read},
    {"begin", ContainerEffect::Read},        {"end", ContainerEffect::Read},
    {"cbegin", ContainerEffect::Read},       {"cend", ContainerEffect::Read},
    {"front", ContainerEffect::Read},        {"back", ContainerEffect::Read},
    {"top", ContainerEffect::Read},          {"c_str", ContainerEffect::Read},
    {"data", ContainerEffect::Read},         {"lower_bound", ContainerEffect::Read},
    {"upper_bound", ContainerEffect::Read},  {"equal_range", ContainerEffect::Read},
    {"substr", ContainerEffect::Read},       {"compare", ContainerEffect::Read},
    {"at", ContainerEffect::Element},        {"operator[]", ContainerEffect::Element},
};

/// C library functions that read or write the memory their pointer
/// arguments point to: memset(buf, ...) writes buf's memory, memcpy(dst,
/// src, n) writes dst's and reads src's. Wr and Rd are argument indices,
/// -1 for none. __builtin_ and _chk (fortified) spellings count as these.
struct MemoryFunction {
  const char *Name;
  int Wr, Rd, Rd2;
};
const MemoryFunction MemoryFunctions[] = {
    {"memset", 0, -1, -1},  {"bzero", 0, -1, -1},     {"explicit_bzero", 0, -1, -1},
    {"memcpy", 0, 1, -1},   {"memmove", 0, 1, -1},    {"mempcpy", 0, 1, -1},
    {"strcpy", 0, 1, -1},   {"strncpy", 0, 1, -1},    {"stpcpy", 0, 1, -1},
    {"strcat", 0, 1, -1},   {"strncat", 0, 1, -1},    {"strlcpy", 0, 1, -1},
    {"memcmp", -1, 0, 1},   {"strcmp", -1, 0, 1},     {"strncmp", -1, 0, 1},
    {"strlen", -1, 0, -1},  {"strnlen", -1, 0, -1},   {"memchr", -1, 0, -1},
    {"strchr", -1, 0, -1},  {"strrchr", -1, 0, -1},   {"strstr", -1, 0, 1},
};

/// Synchronisation besides start, join and locks: what an operation does to
/// the object it names. A release on every path after an access, matched by
/// an acquire of the same object on every path before another, orders the
/// two (ThreadSanitizer's Release/Acquire on an address).
enum class SyncKind { Release, Acquire, Both };
/// Which operand names the object: a pointer argument, the method's object,
/// or, for promises and futures (whose link is made at run time), the value
/// type they carry.
enum : int { SyncObject = -1, SyncValueType = -2 };
struct SyncApi {
  const char *Name;
  SyncKind Kind;
  int Operand;
};
const SyncApi SyncApis[] = {
    {"sem_post", SyncKind::Release, 0},
    {"sem_wait", SyncKind::Acquire, 0},
    {"pthread_barrier_wait", SyncKind::Both, 0},
    {"std::counting_semaphore::release", SyncKind::Release, SyncObject},
    {"std::counting_semaphore::acquire", SyncKind::Acquire, SyncObject},
    {"std::latch::count_down", SyncKind::Release, SyncObject},
    {"std::latch::wait", SyncKind::Acquire, SyncObject},
    {"std::latch::arrive_and_wait", SyncKind::Both, SyncObject},
    {"std::barrier::arrive_and_wait", SyncKind::Both, SyncObject},
    {"std::promise::set_value", SyncKind::Release, SyncValueType},
    {"std::promise::set_exception", SyncKind::Release, SyncValueType},
    {"std::future::get", SyncKind::Acquire, SyncValueType},
    {"std::future::wait", SyncKind::Acquire, SyncValueType},
    {"std::shared_future::get", SyncKind::Acquire, SyncValueType},
    {"std::shared_future::wait", SyncKind::Acquire, SyncValueType},
};

/// std::atomic's methods that store (a release unless relaxed), with the
/// index of their memory-order argument; load() is the acquire.
struct AtomicStore {
  const char *Name;
  unsigned Order;
};
const AtomicStore AtomicStores[] = {
    {"store", 1},     {"exchange", 1},  {"fetch_add", 1}, {"fetch_sub", 1},
    {"fetch_and", 1}, {"fetch_or", 1},  {"fetch_xor", 1}, {"operator=", ~0u},
    {"operator++", ~0u}, {"operator--", ~0u}, {"operator+=", ~0u},
    {"operator-=", ~0u},
};

/// Condition-variable waits and notifications.
const char *const CondWaits[] = {"pthread_cond_wait", "pthread_cond_timedwait",
                                 "cnd_wait", "cnd_timedwait", "wait",
                                 "wait_for", "wait_until"};
const char *const CondNotifies[] = {"pthread_cond_signal", "pthread_cond_broadcast",
                                    "cnd_signal", "cnd_broadcast", "notify_one",
                                    "notify_all"};

const CXXRecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType();
  return T->getAsCXXRecordDecl();
}

bool nameIn(const CXXRecordDecl *RD, llvm::ArrayRef<const char *> Names) {
  if (!RD || !RD->getIdentifier())
    return false;
  std::string N = tableName(RD);
  for (const char *Want : Names)
    if (N == Want)
      return true;
  return false;
}

bool isContainer(QualType T) { return nameIn(recordOf(T), ContainerTypes); }

/// Types whose objects are synchronization, not data: accessing them is
/// never a race (atomics, locks, condition variables, threads).
bool isSyncType(QualType T) {
  T = T.getNonReferenceType();
  if (T->isAtomicType())
    return true;
  if (lockKindOf(T) != LockKind::Unknown)
    return true;
  if (const auto *RD = recordOf(T)) {
    if (!RD->getIdentifier())
      return false;
    std::string N = tableName(RD);
    return StringRef(N).starts_with("std::atomic") ||
           N == "std::atomic_flag" || N == "std::condition_variable" ||
           N == "std::condition_variable_any" || N == "std::thread" ||
           N == "std::jthread" || N == "std::once_flag" ||
           N == "std::barrier" || N == "std::latch" ||
           StringRef(N).starts_with("std::counting_semaphore") ||
           N == "std::binary_semaphore" || N == "std::future" ||
           N == "std::shared_future" || N == "std::promise" ||
           N == "std::stop_source" || N == "std::stop_token" ||
           N == "std::lock_guard" || N == "std::unique_lock" ||
           N == "std::scoped_lock" || N == "std::shared_lock";
  }
  if (const auto *TT = T->getAs<TypedefType>()) {
    StringRef N = TT->getDecl()->getName();
    return N == "pthread_cond_t" || N == "pthread_t" || N == "cnd_t" ||
           N == "thrd_t" || N == "pthread_once_t" || N == "pthread_barrier_t" ||
           N == "sig_atomic_t" || N == "once_flag";
  }
  return false;
}

/// A location and how the user writes it.
struct Place {
  std::string Key;
  std::string Name;
  /// The lock a GUARDED_BY attribute names for it, as written.
  std::string GuardedBy = {};
  /// A block the function allocated into this local pointer: it owns the
  /// block until it hands it to a thread.
  const clang::VarDecl *Owner = nullptr;
  bool valid() const { return !Key.empty(); }
};

/// Methods of lock types that check the caller holds the lock (leveldb's
/// and RocksDB's `Mutex::AssertHeld`), where no ASSERT_CAPABILITY
/// attribute says so.
const llvm::StringRef AssertHeldMethods[] = {"AssertHeld", "assertHeld",
                                             "AssertReaderHeld"};

class FunctionExtractor {
public:
  FunctionExtractor(TUContext &Ctx, LockModel &Locks, ProgramFacts &PF,
                    llvm::StringMap<uint32_t> &FileIndex,
                    llvm::StringMap<uint32_t> &LockIndex,
                    const FunctionDecl *FD)
      : Ctx(Ctx), AST(Ctx.AST), Locks(Locks), PF(PF), FileIndex(FileIndex),
        LockIndex(LockIndex), FD(FD) {}

  void run() {
    const FunctionLocks *FL = Locks.forFunction(FD);
    if (!FL || !FL->cfg())
      return;
    this->FL = FL;
    const CFG &G = *FL->cfg();
    PM = std::make_unique<ParentMap>(FD->getBody());
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    InCtorOrDtor = isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD);
    if (MD && MD->getParent()->isLambda())
      Lambda = MD->getParent();

    Facts.Usr = usrOf(FD);
    Facts.Name = tableName(FD);
    Facts.At = site(FD->getLocation());
    if (MD && MD->isInstance() && !InCtorOrDtor && !Lambda &&
        !MD->isCopyAssignmentOperator() && !MD->isMoveAssignmentOperator()) {
      Facts.Class = usrOf(MD->getParent());
      Facts.Public = MD->getAccess() == AS_public;
    }
    assumeRequiredLocks();

    collectStarts(G);
    runThreadsDataflow(G);
    runSyncDataflow(G);

    // Code a constant condition rules out (`if (DEBUG)` with DEBUG 0, what
    // follows `abort()`) runs on no path: the CFG prunes the edge to it.
    llvm::BitVector Live(G.getNumBlockIDs());
    std::vector<const CFGBlock *> Work{&G.getEntry()};
    Live.set(G.getEntry().getBlockID());
    while (!Work.empty()) {
      const CFGBlock *B = Work.back();
      Work.pop_back();
      for (const CFGBlock *Succ : B->succs())
        if (Succ && !Live.test(Succ->getBlockID())) {
          Live.set(Succ->getBlockID());
          Work.push_back(Succ);
        }
    }
    for (const CFGBlock *B : G) {
      if (!Live.test(B->getBlockID()))
        continue;
      for (const CFGElement &El : *B) {
        auto S = El.getAs<CFGStmt>();
        if (!S)
          continue;
        const Stmt *St = S->getStmt();
        CurStmt = St;
        auto RIt = RunningAt.find(St);
        const llvm::BitVector *Running =
            RIt == RunningAt.end() ? nullptr : &RIt->second;
        if (const auto *E = dyn_cast<Expr>(St)) {
          visitAccess(E, Running);
          if (const auto *CE = dyn_cast<CallExpr>(E)) {
            assumeAssertedLock(CE);
            noteOwnLockHandedOver(CE, {CE->getArgs(), CE->getNumArgs()});
            visitCall(CE, CE->getDirectCallee(), Running);
          } else if (const auto *CC = dyn_cast<CXXConstructExpr>(E)) {
            noteOwnLockHandedOver(CC, {CC->getArgs(), CC->getNumArgs()});
            visitConstruct(CC, Running);
          }
        }
      }
    }
    CurStmt = nullptr;
    if (FD->isMain())
      orderMainCalls(G);
    findSplitUpdates();
    if (!Facts.Starts.empty() || !Facts.Calls.empty() ||
        !Facts.Accesses.empty())
      PF.Functions.push_back(std::move(Facts));
  }

private:
  TUContext &Ctx;
  ASTContext &AST;
  LockModel &Locks;
  ProgramFacts &PF;
  llvm::StringMap<uint32_t> &FileIndex;
  llvm::StringMap<uint32_t> &LockIndex;
  const FunctionDecl *FD;
  const FunctionLocks *FL = nullptr;
  std::unique_ptr<ParentMap> PM;
  bool InCtorOrDtor = false;
  const CXXRecordDecl *Lambda = nullptr;
  FunctionFacts Facts;

  /// This function's thread starts, by the expression that starts them.
  struct LocalStart {
    const ThreadStartSite *Site;
    const ValueDecl *Handle; // variable, field or container; null if none
    unsigned Index;
    bool IntoContainer = false;
    /// StartFact::Handle and StartFact::Family.
    std::string HandleKey, Family;
    /// The handle is an element of an array: `&ids[2]` (Element 2) or
    /// `&ids[i]` (no Element).
    bool InArray = false;
    std::optional<int64_t> Element = std::nullopt;
  };

  /// The index of `a[i]` or `&a[i]` (built-in arrays only unless
  /// \p Containers, which adds `v[i]` of a class's operator[]), or null.
  static const Expr *subscriptIndex(const Expr *E, bool Containers) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
      return ASE->getIdx();
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        Containers && OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2)
      return OC->getArg(1);
    return nullptr;
  }

  /// Whether a handle expression names an array element, and which one
  /// when the index is a constant.
  bool arrayElement(const Expr *E, std::optional<int64_t> &Element) const {
    const Expr *Idx = subscriptIndex(E, /*Containers=*/true);
    if (!Idx)
      return false;
    Element.reset();
    if (std::optional<llvm::APSInt> V = Idx->getIntegerConstantExpr(AST))
      Element = V->getExtValue();
    return true;
  }
  std::vector<LocalStart> Starts;
  llvm::DenseMap<const Stmt *, unsigned> StartOf;
  /// The variable each initializer initializes (`std::thread t(f)`,
  /// `Worker w`).
  llvm::DenseMap<const Expr *, const VarDecl *> Initialized;
  /// Locals this function lets a thread reach.
  llvm::DenseSet<const VarDecl *> Escaping;
  /// Local pointers passed by value to a thread start, with the starts
  /// they are handed to (indices into Starts): until one of them runs, the
  /// block is the function's own. HandedEach: those declared inside the
  /// loop that starts the threads.
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<unsigned, 2>> HandedTo;
  llvm::DenseSet<const VarDecl *> HandedEach;
  /// What each local pointer points to (ofLocalPointee).
  llvm::DenseMap<const VarDecl *, Place> LocalPointee;
  /// Threads of this function that may be running before each statement.
  llvm::DenseMap<const Stmt *, llvm::BitVector> RunningAt;
  /// Joins seen, with the handle they join.
  std::vector<std::pair<const Expr *, const ValueDecl *>> Joins;
  /// Accesses by statement, for the split-update search.
  llvm::DenseMap<const Expr *, unsigned> AccessOf;
  /// The CFG statement being visited, the statement of each access, and
  /// the call fact each call statement became (for main's call order).
  const Stmt *CurStmt = nullptr;
  std::vector<const Stmt *> AccessStmt;
  llvm::DenseMap<const Stmt *, unsigned> CallOf;

  FactSite site(SourceLocation Loc) {
    SourcePoint P = Ctx.point(Loc);
    auto It = FileIndex.try_emplace(P.File, PF.Files.size());
    if (It.second)
      PF.Files.push_back(P.File);
    return {It.first->second, P.Line, P.Column};
  }

  uint32_t lockIndex(const HeldLock &H) {
    // Reader-held locks keep their own entry: two readers exclude nothing.
    std::string K = H.Lock.key() + (H.Shared ? "#shared" : "");
    auto It = LockIndex.try_emplace(K, PF.Locks.size());
    if (It.second)
      PF.Locks.push_back({K, H.Lock.Name});
    return It.first->second;
  }

  //===--------------------------------------------------------------------===//
  // Locks held by contract
  //===--------------------------------------------------------------------===//

  void assume(const LockId &L, bool Shared) {
    if (!L.valid())
      return;
    HeldLock H;
    H.Lock = L;
    H.Shared = Shared;
    uint32_t I = lockIndex(H);
    if (!llvm::is_contained(Facts.Assumed, I))
      Facts.Assumed.push_back(I);
  }

  /// REQUIRES(mu) / EXCLUSIVE_LOCKS_REQUIRED(mu): every caller holds mu.
  void assumeRequiredLocks() {
    for (const auto *A : FD->specific_attrs<RequiresCapabilityAttr>())
      for (const Expr *Arg : A->args())
        assume(lockIdOf(Arg, AST), A->isShared());
  }

  /// `mu_.AssertHeld()`: the function is only ever called with mu_ held
  /// (a debug build checks it), as Clang's thread safety analysis reads
  /// ASSERT_CAPABILITY.
  void assumeAssertedLock(const CallExpr *CE) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(CE);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier())
      return;
    bool Shared = M->hasAttr<AssertSharedLockAttr>();
    if (const auto *A = M->getAttr<AssertCapabilityAttr>())
      Shared = A->isShared();
    bool Asserts = Shared || M->hasAttr<AssertCapabilityAttr>() ||
                   M->hasAttr<AssertExclusiveLockAttr>() ||
                   llvm::is_contained(AssertHeldMethods, M->getName());
    if (Asserts)
      assume(lockIdOf(MC->getImplicitObjectArgument(), AST), Shared);
  }

  /// Whether \p E runs after an explicit unlock of a lock of this object
  /// that was held, and before the function takes it again (source order).
  bool inUnlockWindow(const Expr *E) {
    const SourceManager &SM = AST.getSourceManager();
    SourceLocation At = SM.getExpansionLoc(E->getExprLoc());
    const HeldState *Here = FL->heldAt(E);
    auto OwnLock = [](const LockId &L) {
      return L.Base == "this" && llvm::StringRef(L.Key).starts_with("f:");
    };
    for (const LockEvent &Un : FL->events()) {
      if (Un.Op != LockOp::Release || Un.Implicit || !OwnLock(Un.Lock) ||
          !Un.Before.Must.find(Un.Lock) ||
          !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(Un.Loc), At) ||
          (Here && Here->Must.find(Un.Lock)))
        continue;
      for (const LockEvent &Re : FL->events())
        if ((Re.Op == LockOp::Acquire || Re.Op == LockOp::AcquireShared) &&
            Re.Lock == Un.Lock &&
            SM.isBeforeInTranslationUnit(At, SM.getExpansionLoc(Re.Loc)))
          return true;
    }
    return false;
  }

  /// A lock type: one snag knows, a capability, or a class with a
  /// lock()/Lock() method (RocksDB's InstrumentedMutex).
  static bool isLockLike(QualType T) {
    if (lockKindOf(T) != LockKind::Unknown)
      return true;
    const CXXRecordDecl *RD = recordOf(T.getNonReferenceType());
    if (!RD || !RD->hasDefinition())
      return false;
    if (RD->hasAttr<CapabilityAttr>())
      return true;
    for (const CXXMethodDecl *M : RD->methods())
      if (M->getIdentifier() &&
          llvm::is_contained({"lock", "Lock", "unlock", "Unlock"}, M->getName()))
        return true;
    return false;
  }

  /// FunctionFacts::HandsOwnLock: \p Call passes `&mu_`/`mu_` of this
  /// object, and the lock model took no lock event from it.
  void noteOwnLockHandedOver(const Expr *Call,
                             llvm::ArrayRef<const Expr *> Args) {
    if (Facts.HandsOwnLock || Facts.Class.empty())
      return;
    const SourceManager &SM = AST.getSourceManager();
    for (const Expr *Arg : Args) {
      const Expr *A = Arg->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(A); UO && UO->getOpcode() == UO_AddrOf)
        A = UO->getSubExpr()->IgnoreParenImpCasts();
      const auto *ME = dyn_cast<MemberExpr>(A);
      if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) ||
          !isa<FieldDecl>(ME->getMemberDecl()) ||
          !isLockLike(ME->getMemberDecl()->getType()))
        continue;
      SourceRange R = Call->getSourceRange();
      bool Read = llvm::any_of(FL->events(), [&](const LockEvent &Ev) {
        SourceLocation L = SM.getExpansionLoc(Ev.Loc);
        return L.isValid() && !SM.isBeforeInTranslationUnit(L, SM.getExpansionLoc(R.getBegin())) &&
               !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(R.getEnd()), L);
      });
      if (!Read)
        Facts.HandsOwnLock = true;
    }
  }

  std::vector<uint32_t> heldAt(const Stmt *S) {
    std::vector<uint32_t> Out;
    if (const HeldState *H = FL->heldAt(S))
      for (const HeldLock &L : H->Must.locks())
        Out.push_back(lockIndex(L));
    return Out;
  }

  static std::vector<uint32_t> bits(const llvm::BitVector *B) {
    std::vector<uint32_t> Out;
    if (B)
      for (unsigned I : B->set_bits())
        Out.push_back(I);
    return Out;
  }

  //===--------------------------------------------------------------------===//
  // Threads
  //===--------------------------------------------------------------------===//

  void collectStarts(const CFG &G) {
    // Which variable each construction initializes (`std::thread t(f)`).
    for (const CFGBlock *B : G)
      for (const CFGElement &El : *B)
        if (auto S = El.getAs<CFGStmt>())
          if (const auto *DS = dyn_cast<DeclStmt>(S->getStmt()))
            for (const Decl *D : DS->decls())
              if (const auto *VD = dyn_cast<VarDecl>(D))
                if (const Expr *Init = VD->getInit())
                  Initialized[Init->IgnoreImplicit()] = VD;
    for (const ThreadStartSite &S : threadStarts(Ctx)) {
      if (S.Caller != FD)
        continue;
      LocalStart L{&S, nullptr, (unsigned)Starts.size(), S.Start.IntoContainer, "", ""};
      const Expr *HandleAt = S.Start.Handle; // where the handle is kept
      if (S.Start.Handle) {
        const Expr *H = S.Start.Handle->IgnoreImplicit();
        auto It = Initialized.find(H);
        if (It != Initialized.end()) {
          L.Handle = It->second;
        } else if (H == S.Start.Call->IgnoreImplicit()) {
          // `h = launch(f, arg)`: the handle a starter returns, assigned;
          // `t_ = std::thread(f)`: a thread moved into its handle.
          HandleAt = assignedTo(S.Start.Call);
          if (!HandleAt)
            HandleAt = movedInto(S.Start.Call);
          L.Handle = HandleAt ? handleDecl(HandleAt) : nullptr;
        } else {
          L.Handle = handleDecl(S.Start.Handle);
        }
      } else if (auto It = Initialized.find(S.Start.Call->IgnoreImplicit());
                 It != Initialized.end()) {
        L.Handle = It->second; // std::async's future
      }
      if (!L.Handle)
        if (const Expr *Container = pushedInto(S.Start.Call)) {
          // `threads.push_back(std::thread(f))`: the container owns it.
          L.Handle = handleDecl(Container);
          L.IntoContainer = true;
        }
      if (S.Start.Handle)
        L.InArray = arrayElement(S.Start.Handle, L.Element);
      if (HandleAt && HandleAt != S.Start.Call) {
        L.HandleKey = globalHandleKey(HandleAt);
        L.Family = familyKey(HandleAt);
      }
      if (!S.Start.Family.empty())
        L.Family = S.Start.Family;
      StartOf[S.Start.Call] = L.Index;
      Starts.push_back(L);
      noteEscapes(S.Start);
    }
  }

  /// The container a temporary thread is moved into, if any.
  const Expr *pushedInto(const Expr *Temp) const {
    const Stmt *P = PM->getParent(Temp);
    while (P && (isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr, CXXFunctionalCastExpr,
                     ImplicitCastExpr, ParenExpr, ExprWithCleanups>(P)))
      P = PM->getParent(P);
    if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(P))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getIdentifier() &&
            llvm::is_contained({"push_back", "emplace_back", "push", "emplace",
                                "insert", "push_front", "emplace_front"},
                               MD->getName()))
          return MC->getImplicitObjectArgument();
    return nullptr;
  }

  /// The handle a temporary thread is move-assigned to (`t_ = std::thread(f)`).
  const Expr *movedInto(const Expr *Temp) const {
    const Stmt *P = PM->getParent(Temp);
    while (P && (isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr, CXXFunctionalCastExpr,
                     ImplicitCastExpr, ParenExpr>(P))) {
      Temp = cast<Expr>(P);
      P = PM->getParent(P);
    }
    const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
    if (OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 && OC->getArg(1) == Temp)
      return OC->getArg(0)->IgnoreParenImpCasts();
    return nullptr;
  }

  /// The left side of the assignment whose value is \p E, if any.
  const Expr *assignedTo(const Expr *E) const {
    const Stmt *P = PM->getParent(E);
    while (P && isa<ImplicitCastExpr, ParenExpr, CStyleCastExpr>(P)) {
      E = cast<Expr>(P);
      P = PM->getParent(P);
    }
    const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
    if (BO && BO->getOpcode() == BO_Assign && BO->getRHS() == E)
      return BO->getLHS()->IgnoreParenImpCasts();
    return nullptr;
  }

  /// A key that names where a thread handle is kept, when that is a global
  /// or a part of one (`tid`, `g.load_thread`, `workers[i].tid`): a join in
  /// another function names it the same way. "" otherwise.
  static std::string globalHandleKey(const Expr *E) {
    std::string Path;
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr()->IgnoreParenImpCasts();
    for (int Depth = 0; Depth < 8; ++Depth) {
      if (const auto *ME = dyn_cast<MemberExpr>(E)) {
        if (ME->isArrow())
          return ""; // through a pointer: which block is unknown
        Path = "|." + ME->getMemberDecl()->getNameAsString() + Path;
        E = ME->getBase()->IgnoreParenImpCasts();
        continue;
      }
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
        Path = "|[*]" + Path;
        E = ASE->getBase()->IgnoreParenImpCasts();
        continue;
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
            VD && VD->hasGlobalStorage())
          return "g:" + usrOf(VD) + Path;
      return "";
    }
    return "";
  }

  /// "f:<USR>" of the field a handle expression is (`th->id`), or "".
  static std::string familyKey(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr()->IgnoreParenImpCasts();
    const auto *ME = dyn_cast<MemberExpr>(E);
    const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    std::string Usr = F ? usrOf(F) : "";
    return Usr.empty() ? "" : "f:" + Usr;
  }

  /// What a join ends, for the link step: where the handle is kept, and
  /// for a loop of joins through a field of a walked list or array (pigz's
  /// `join_all`), every thread whose handle is that field.
  std::vector<std::string> joinKeys(const ThreadJoin &J) const {
    std::vector<std::string> Out;
    if (!J.Handle)
      return Out;
    if (std::string K = globalHandleKey(J.Handle); !K.empty())
      if (!llvm::StringRef(K).contains("[*]") || enclosingLoop(J.Call))
        Out.push_back(K);
    if (std::string F = everyOfFamily(J); !F.empty())
      Out.push_back(F);
    // `t_.join()` in a method joins the thread its object keeps in `t_`
    // (whichever object: the link step does not tell them apart here).
    if (const auto *ME = dyn_cast<MemberExpr>(J.Handle->IgnoreParenImpCasts());
        ME && J.Family.empty() && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      if (std::string F = familyKey(ME); !F.empty() && !llvm::is_contained(Out, F))
        Out.push_back(F);
    return Out;
  }

  /// The field a loop of joins walks (`pthread_join(t->id)` for each `t`
  /// of a list, or `ids[i].tid`), or "".
  std::string everyOfFamily(const ThreadJoin &J) const {
    if (!J.Family.empty() || !enclosingLoop(J.Call))
      return ""; // a joiner's call joins the one handle it is given
    const Expr *E = J.Handle->IgnoreParenImpCasts();
    const auto *ME = dyn_cast<MemberExpr>(E);
    if (!ME)
      return "";
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Base)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
        return "";
    } else if (!isa<ArraySubscriptExpr>(Base)) {
      return "";
    }
    return familyKey(E);
  }

  /// Locals a start hands to its thread: by-reference captures of a lambda,
  /// std::ref arguments, addresses.
  void noteEscapes(const ThreadStart &S) {
    if (S.Lambda)
      for (const LambdaCapture &C : S.Lambda->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
            Escaping.insert(VD);
    for (const Expr *A : S.EntryArgs) {
      if (const VarDecl *VD = escapingLocal(A))
        Escaping.insert(VD);
      // A local pointer handed over by value, or the address of a field of
      // what it points to (`&job->link`, for a thread that takes the
      // container back): the block it points to is now the thread's too.
      const Expr *Handed = A->IgnoreParenCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(Handed); UO && UO->getOpcode() == UO_AddrOf)
        if (const auto *ME = dyn_cast<MemberExpr>(UO->getSubExpr()->IgnoreParens());
            ME && ME->isArrow())
          Handed = ME->getBase()->IgnoreParenCasts();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Handed))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
            VD && VD->getType()->isPointerType() && VD->getDeclContext() == FD) {
          HandedTo[VD].push_back(Starts.size() - 1);
          if (const Stmt *Loop = enclosingLoop(S.Call); Loop && encloses(Loop, VD))
            HandedEach.insert(VD);
        }
    }
  }

  /// Whether \p E comes after \p Owner's declaration and before every
  /// start that hands its block over, in source order.
  bool beforeEveryHandingStart(const Expr *E, const VarDecl *Owner) const {
    const SourceManager &SM = AST.getSourceManager();
    SourceLocation L = SM.getFileLoc(E->getExprLoc());
    if (!SM.isBeforeInTranslationUnit(SM.getFileLoc(Owner->getLocation()), L))
      return false;
    auto It = HandedTo.find(Owner);
    return It != HandedTo.end() && llvm::all_of(It->second, [&](unsigned I) {
             return SM.isBeforeInTranslationUnit(
                 L, SM.getFileLoc(Starts[I].Site->Start.Call->getBeginLoc()));
           });
  }

  /// The innermost loop around \p S in this function, or null.
  const Stmt *enclosingLoop(const Stmt *S) const {
    for (const Stmt *P = PM->getParent(S); P; P = PM->getParent(P))
      if (isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(P))
        return P;
    return nullptr;
  }

  bool encloses(const Stmt *Loop, const Decl *D) const {
    const SourceManager &SM = AST.getSourceManager();
    SourceRange R = Loop->getSourceRange();
    SourceLocation L = D->getLocation();
    return SM.isBeforeInTranslationUnit(R.getBegin(), L) &&
           SM.isBeforeInTranslationUnit(L, R.getEnd());
  }

  /// Whether a lambda captures the object of the method it is written in:
  /// `[this]`, `[=]` or `[&]` using a member, `[self = this]`.
  static bool capturesThis(const CXXRecordDecl *Lambda) {
    for (const LambdaCapture &C : Lambda->captures()) {
      if (C.capturesThis())
        return true;
      const auto *VD = C.capturesVariable() ? dyn_cast<VarDecl>(C.getCapturedVar()) : nullptr;
      if (VD && VD->isInitCapture() && VD->getInit() &&
          isa<CXXThisExpr>(VD->getInit()->IgnoreParenImpCasts()))
        return true;
    }
    return false;
  }

  /// What `this` is in a start's entry (StartFact::Object): the object of
  /// this method for a lambda that captured it; the first argument for a
  /// method pointer (`std::thread(&Worker::loop, this)`), which \p Passed
  /// then leaves out.
  Binding startObject(const ThreadStart &TS, llvm::ArrayRef<const Expr *> &Passed) {
    if (TS.Lambda)
      return capturesThis(TS.Lambda->getLambdaClass()) ? "p:this" : "";
    const auto *MD = dyn_cast_or_null<CXXMethodDecl>(TS.Entry);
    if (!MD || !MD->isInstance() || MD->getParent()->isLambda() || Passed.empty() ||
        !stripHandle(TS.Callable)->getType()->isMemberFunctionPointerType())
      return "";
    const Expr *Obj = Passed.front();
    Passed = Passed.drop_front();
    const Expr *Stripped = stripHandle(Obj);
    if (const auto *CE = dyn_cast<CallExpr>(Stripped))
      if (const FunctionDecl *F = CE->getDirectCallee();
          F && CE->getNumArgs() == 1 && tableName(F) == "std::ref")
        return objectKey(CE->getArg(0), /*Pointer=*/false);
    if (!Stripped->getType()->isPointerType())
      return "-"; // std::thread copies the object: the thread runs on its own
    return objectKey(Stripped, /*Pointer=*/true);
  }

  /// `&slots[i]` handed to a thread started in a loop over `i`: each
  /// thread gets an element of its own ("[#]" in the binding).
  Binding perInstance(Binding B, const Expr *Arg, const Expr *StartCall) const {
    // The loop's index itself, by value: "#", each instance's own number.
    if (B.empty() || B == "-") {
      const Expr *A = Arg->IgnoreParenCasts();
      if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(A))
        A = MT->getSubExpr()->IgnoreParenCasts();
      const auto *Ref = dyn_cast<DeclRefExpr>(A);
      const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
      const auto *Loop = dyn_cast_or_null<ForStmt>(enclosingLoop(StartCall));
      if (Var && Var->getType()->isIntegerType() && Loop && Loop->getInc() &&
          mentions(Loop->getInc(), Var))
        return "#";
      return B;
    }
    if (!llvm::StringRef(B).ends_with("|[*]"))
      return B;
    const Expr *Idx = subscriptIndex(Arg, /*Containers=*/false);
    const auto *IdxRef = Idx ? dyn_cast<DeclRefExpr>(Idx->IgnoreParenImpCasts()) : nullptr;
    const auto *IdxVar = IdxRef ? dyn_cast<VarDecl>(IdxRef->getDecl()) : nullptr;
    const auto *Loop = dyn_cast_or_null<ForStmt>(enclosingLoop(StartCall));
    if (!IdxVar || !Loop || !mentions(Loop->getInc(), IdxVar))
      return B;
    B.resize(B.size() - 4);
    return B + "|[#]";
  }

  /// The local an argument lets a callee reach (std::ref(x), &x, &x[i]).
  const VarDecl *escapingLocal(const Expr *A) {
    A = A->IgnoreParenImpCasts();
    bool ByRef = false;
    while (true) {
      A = A->IgnoreParenImpCasts();
      if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(A)) {
        A = MT->getSubExpr();
        continue;
      }
      if (const auto *CE = dyn_cast<CallExpr>(A)) {
        const FunctionDecl *F = CE->getDirectCallee();
        if (F && CE->getNumArgs() == 1 &&
            (tableName(F) == "std::ref" || tableName(F) == "std::cref")) {
          A = CE->getArg(0);
          ByRef = true;
          continue;
        }
        if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
            OC && OC->getOperator() == OO_Subscript && ByRef) {
          A = OC->getArg(0);
          continue;
        }
        return nullptr;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(A); UO && UO->getOpcode() == UO_AddrOf) {
        A = UO->getSubExpr();
        ByRef = true;
        continue;
      }
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(A); ASE && ByRef) {
        A = ASE->getBase();
        continue;
      }
      break;
    }
    if (!ByRef)
      return nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(A))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (VD->hasLocalStorage())
          return VD;
    return nullptr;
  }

  /// Which starts a join (or the destruction of a joining handle) ends.
  /// `pthread_join(ids[2])` (\p Element 2) joins the thread started into
  /// ids[2] only; a join of `ids[i]` stands for the loop of joins it sits in.
  void killJoined(const ValueDecl *H, std::optional<int64_t> Element,
                  llvm::BitVector &Running) {
    if (!H)
      return;
    for (const LocalStart &L : Starts)
      if (L.Handle == H && (!Element || L.Element == Element))
        Running.reset(L.Index);
  }

  void transferThreads(const CFGElement &El, llvm::BitVector &Running,
                       bool Record) {
    if (auto S = El.getAs<CFGStmt>()) {
      const Stmt *St = S->getStmt();
      if (Record)
        RunningAt[St] = Running;
      if (auto It = StartOf.find(St); It != StartOf.end()) {
        Running.set(It->second);
        return;
      }
      if (const auto *CE = dyn_cast<CallExpr>(St))
        if (auto J = threadModel(Ctx).join(CE)) {
          const ValueDecl *H = handleDecl(J->Handle);
          std::optional<int64_t> Element;
          if (J->Handle)
            arrayElement(J->Handle, Element);
          killJoined(H, Element, Running);
          if (std::string F = everyOfFamily(*J); !F.empty())
            for (const LocalStart &L : Starts)
              if (L.Family == F)
                Running.reset(L.Index);
          if (Record && H && !Element) // one element: no loop of joins
            Joins.push_back({CE, H});
        }
      return;
    }
    if (auto D = El.getAs<CFGAutomaticObjDtor>()) {
      // A jthread or a std::async future waits for its thread when it dies.
      for (const LocalStart &L : Starts)
        if (L.Handle == D->getVarDecl() && L.Site->Start.JoinsOnDestruction)
          Running.reset(L.Index);
    }
  }

  /// A try-join that a block's branch tests (`pthread_tryjoin_np(t, 0) ==
  /// 0`, `!pthread_tryjoin_np(t, 0)`), with the successor where it
  /// succeeded; null if none.
  const ThreadJoin *tryJoinEdge(const CFGBlock *B, std::optional<unsigned> &Edge) {
    auto [It, New] = TryJoinOf.try_emplace(B);
    if (!New) {
      Edge = It->second.second;
      return It->second.first;
    }
    const ThreadJoin *J = findTryJoin(B, Edge);
    TryJoinOf[B] = {J, Edge};
    return J;
  }
  llvm::DenseMap<const CFGBlock *,
                 std::pair<const ThreadJoin *, std::optional<unsigned>>>
      TryJoinOf;

  const ThreadJoin *findTryJoin(const CFGBlock *B, std::optional<unsigned> &Edge) {
    const auto *Cond =
        dyn_cast_or_null<Expr>(B->getTerminatorCondition(/*StripParens=*/true));
    if (!Cond || B->succ_size() != 2)
      return nullptr;
    TestedValue T = testedValue(Cond, 4);
    if (!T.E || !T.Zero) // success is a zero result
      return nullptr;
    const Expr *E = T.E->IgnoreParenImpCasts();
    const auto *CE = dyn_cast<CallExpr>(E);
    const FunctionDecl *F = CE ? CE->getDirectCallee() : nullptr;
    if (!F || !F->getIdentifier() || F->getName() != "pthread_tryjoin_np" ||
        CE->getNumArgs() < 1)
      return nullptr;
    TryJoins.push_back(ThreadJoin{CE, CE->getArg(0)->IgnoreParenImpCasts(), ""});
    Edge = T.Zero;
    return &TryJoins.back();
  }
  std::deque<ThreadJoin> TryJoins;

  /// Whether two conditions test the same thing, with nothing in the
  /// function changing what they read (`if (threaded)` twice).
  bool sameCondition(const Expr *A, const Expr *B) const {
    A = A->IgnoreParenImpCasts();
    B = B->IgnoreParenImpCasts();
    llvm::FoldingSetNodeID IA, IB;
    A->Profile(IA, AST, /*Canonical=*/true);
    B->Profile(IB, AST, /*Canonical=*/true);
    if (IA != IB)
      return false;
    struct Vars : RecursiveASTVisitor<Vars> {
      llvm::SmallVector<const VarDecl *, 4> Out;
      bool Other = false;
      bool VisitDeclRefExpr(DeclRefExpr *D) {
        if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()))
          Out.push_back(VD);
        return true;
      }
      bool VisitCallExpr(CallExpr *) { Other = true; return false; }
    } V;
    V.TraverseStmt(const_cast<Expr *>(A));
    if (V.Other)
      return false;
    for (const VarDecl *VD : V.Out) {
      if (VD->getType().isConstQualified())
        continue;
      if (!VD->hasLocalStorage() || changedIn(VD))
        return false;
    }
    return true;
  }

  /// Whether the function assigns \p VD (after its initializer), or lets
  /// anything else change it.
  bool changedIn(const VarDecl *VD) const {
    struct Finder : RecursiveASTVisitor<Finder> {
      const VarDecl *VD;
      bool Changed = false;
      bool names(const Expr *E) const {
        const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
        return DRE && DRE->getDecl() == VD;
      }
      bool VisitBinaryOperator(BinaryOperator *BO) {
        Changed |= BO->isAssignmentOp() && names(BO->getLHS());
        return !Changed;
      }
      bool VisitUnaryOperator(UnaryOperator *UO) {
        Changed |= (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) &&
                   names(UO->getSubExpr());
        return !Changed;
      }
    } F;
    F.VD = VD;
    F.TraverseStmt(FD->getBody());
    return F.Changed;
  }

  /// The condition of the `if` (with no else) that directly holds \p S.
  const Expr *guardOf(const Stmt *S) const {
    const Stmt *Child = S;
    for (const Stmt *P = PM->getParent(S); P; Child = P, P = PM->getParent(P)) {
      if (const auto *If = dyn_cast<IfStmt>(P))
        return If->getThen() == Child && !If->getElse() ? If->getCond() : nullptr;
      if (!isa<Expr, CompoundStmt>(P))
        return nullptr;
    }
    return nullptr;
  }

  /// `if (threaded) pthread_create(&t, ...)` ... `if (threaded)
  /// pthread_join(t, 0)`: the join ends the thread on every path that
  /// started it, so after the join's `if` it runs no more.
  void joinSameCondition() {
    const SourceManager &SM = AST.getSourceManager();
    for (const auto &[Join, H] : Joins) {
      const Expr *JoinIf = guardOf(Join);
      if (!JoinIf)
        continue;
      for (const LocalStart &L : Starts) {
        const Expr *StartIf = guardOf(L.Site->Start.Call);
        if (L.Handle != H || !StartIf || !sameCondition(StartIf, JoinIf))
          continue;
        const Stmt *If = PM->getParent(JoinIf);
        while (If && !isa<IfStmt>(If))
          If = PM->getParent(If);
        if (!If)
          continue;
        SourceLocation End = SM.getFileLoc(If->getEndLoc());
        for (auto &[S, Bits] : RunningAt)
          if (SM.isBeforeInTranslationUnit(End, SM.getFileLoc(S->getBeginLoc())))
            Bits.reset(L.Index);
        JoinedByLoop.set(L.Index);
      }
    }
  }

  /// `for (auto &t : threads) t.join();` joins every thread of the
  /// container, though a path-insensitive dataflow sees the loop run zero
  /// times: after such a loop, the container's threads are done.
  void joinContainerLoops() {
    const SourceManager &SM = AST.getSourceManager();
    for (const auto &[Join, H] : Joins) {
      const Stmt *JoinLoop = enclosingLoop(Join);
      if (!JoinLoop)
        continue;
      SourceLocation End = SM.getFileLoc(JoinLoop->getEndLoc());
      for (const LocalStart &L : Starts) {
        // Threads pushed into a container, or started into `ids[i]` in a
        // loop: a loop of joins over the same container joins them all.
        bool Loop = L.IntoContainer || (L.InArray && !L.Element && L.Site->InLoop);
        if (L.Handle != H || !Loop)
          continue;
        // A join loop written before the start ends the threads an earlier
        // start put there, not these.
        if (!SM.isBeforeInTranslationUnit(SM.getFileLoc(L.Site->Start.Call->getBeginLoc()),
                                          SM.getFileLoc(JoinLoop->getBeginLoc())))
          continue;
        for (auto &[S, Bits] : RunningAt)
          if (SM.isBeforeInTranslationUnit(End, SM.getFileLoc(S->getBeginLoc())))
            Bits.reset(L.Index);
        JoinedByLoop.set(L.Index);
      }
    }
  }
  llvm::BitVector JoinedByLoop;

  void runThreadsDataflow(const CFG &G) {
    if (Starts.empty())
      return;
    unsigned N = Starts.size();
    JoinedByLoop.resize(N);
    std::vector<llvm::BitVector> In(G.getNumBlockIDs(), llvm::BitVector(N));
    std::vector<bool> Reached(G.getNumBlockIDs(), false);
    Reached[G.getEntry().getBlockID()] = true;
    PostOrderCFGView PO(&G);
    bool Changed = true;
    for (int Round = 0; Changed && Round < 50; ++Round) {
      Changed = false;
      for (const CFGBlock *B : PO) {
        if (!Reached[B->getBlockID()])
          continue;
        llvm::BitVector S = In[B->getBlockID()];
        for (const CFGElement &El : *B)
          transferThreads(El, S, false);
        std::optional<unsigned> TryEdge;
        const ThreadJoin *Try = tryJoinEdge(B, TryEdge);
        unsigned Index = 0;
        for (const CFGBlock *Succ : B->succs()) {
          if (!Succ) {
            ++Index;
            continue;
          }
          unsigned Id = Succ->getBlockID();
          llvm::BitVector Joined = In[Id];
          if (Try && TryEdge == Index++) {
            // pthread_tryjoin_np(t) == 0: joined where it succeeded.
            llvm::BitVector Edge = S;
            std::optional<int64_t> Element;
            arrayElement(Try->Handle, Element);
            killJoined(handleDecl(Try->Handle), Element, Edge);
            Joined |= Edge;
          } else {
            Joined |= S;
          }
          if (!Reached[Id] || Joined != In[Id]) {
            Reached[Id] = true;
            In[Id] = std::move(Joined);
            Changed = true;
          }
        }
      }
    }
    // What may still run when the function returns normally (an exception
    // out of a join is missing-join's business, not a race).
    llvm::BitVector AtExit(N);
    for (const CFGBlock *B : PO) {
      if (!Reached[B->getBlockID()])
        continue;
      llvm::BitVector S = In[B->getBlockID()];
      for (const CFGElement &El : *B)
        transferThreads(El, S, true);
      bool EndsInCall = !B->getTerminatorStmt() && !B->empty() &&
                        B->back().getAs<CFGStmt>() &&
                        isa<CallExpr, CXXConstructExpr>(B->back().castAs<CFGStmt>().getStmt());
      unsigned I = 0;
      for (const CFGBlock *Succ : B->succs()) {
        if (Succ == &G.getExit() && !(EndsInCall && I > 0))
          AtExit |= S;
        ++I;
      }
    }
    joinContainerLoops();
    joinSameCondition();
    AtExit.reset(JoinedByLoop);
    for (const LocalStart &L : Starts) {
      StartFact SF;
      const ThreadStart &TS = L.Site->Start;
      SF.Entry = usrOf(TS.Entry);
      SF.EntryName = TS.Lambda ? "lambda" : TS.Entry ? tableName(TS.Entry) : "";
      SF.At = site(TS.Call->getBeginLoc());
      // Jobs handed to a queue that one thread drains run one at a time,
      // however many the caller hands over.
      SF.Queue = TS.Queue;
      SF.Many = TS.Queue.empty() ? L.Site->InLoop || TS.Many : false;
      SF.Escapes = AtExit.test(L.Index) && !TS.JoinsOnDestruction;
      SF.Handle = L.HandleKey;
      SF.Family = L.Family;
      auto It = RunningAt.find(TS.Call);
      if (It != RunningAt.end())
        SF.Running = bits(&It->second);
      llvm::ArrayRef<const Expr *> Passed = TS.EntryArgs;
      SF.Object = startObject(TS, Passed);
      SF.Args = bindings(Passed, TS.Entry, /*Copies=*/TS.Flavor != ThreadFlavor::Pthread &&
                                                TS.Flavor != ThreadFlavor::C11);
      if (L.Site->InLoop && TS.Queue.empty())
        for (unsigned I = 0; I < SF.Args.size() && I < Passed.size(); ++I)
          SF.Args[I] = perInstance(SF.Args[I], Passed[I], TS.Call);
      Facts.Starts.push_back(std::move(SF));
    }
  }

  /// main's calls in CFG order: for each call and access, the calls that
  /// may be the last one before it (a forward may-dataflow; a call kills
  /// the others and stands alone). The link step closes these over, so
  /// loops count: a write above a start in a loop body runs again after it.
  void orderMainCalls(const CFG &G) {
    unsigned N = Facts.Calls.size();
    std::vector<llvm::BitVector> In(G.getNumBlockIDs(), llvm::BitVector(N));
    std::vector<bool> Reached(G.getNumBlockIDs(), false);
    Reached[G.getEntry().getBlockID()] = true;
    llvm::DenseMap<const Stmt *, llvm::BitVector> LastAt;
    auto Transfer = [&](const CFGBlock *B, llvm::BitVector &S, bool Record) {
      for (const CFGElement &El : *B)
        if (auto CS = El.getAs<CFGStmt>()) {
          const Stmt *St = CS->getStmt();
          if (Record)
            LastAt[St] = S;
          if (auto It = CallOf.find(St); It != CallOf.end()) {
            S.reset();
            S.set(It->second);
          }
        }
    };
    PostOrderCFGView PO(&G);
    bool Changed = true;
    for (int Round = 0; Changed && Round < 50; ++Round) {
      Changed = false;
      for (const CFGBlock *B : PO) {
        if (!Reached[B->getBlockID()])
          continue;
        llvm::BitVector S = In[B->getBlockID()];
        Transfer(B, S, false);
        for (const CFGBlock *Succ : B->succs()) {
          if (!Succ)
            continue;
          unsigned Id = Succ->getBlockID();
          llvm::BitVector Joined = In[Id];
          Joined |= S;
          if (!Reached[Id] || Joined != In[Id]) {
            Reached[Id] = true;
            In[Id] = std::move(Joined);
            Changed = true;
          }
        }
      }
    }
    for (const CFGBlock *B : PO) {
      if (!Reached[B->getBlockID()])
        continue;
      llvm::BitVector S = In[B->getBlockID()];
      Transfer(B, S, true);
    }
    for (const auto &[St, I] : CallOf)
      if (auto It = LastAt.find(St); It != LastAt.end())
        Facts.Calls[I].Prev = bits(&It->second);
    for (unsigned I = 0; I < Facts.Accesses.size(); ++I)
      if (auto It = LastAt.find(AccessStmt[I]); It != LastAt.end())
        Facts.Accesses[I].Prev = bits(&It->second);
    Facts.Ordered = true;
  }

  //===--------------------------------------------------------------------===//
  // Synchronisation events besides start and join
  //===--------------------------------------------------------------------===//

  /// Set while naming a synchronisation object: ofLValue and friends then
  /// name atomics, semaphores and barriers too.
  bool SyncKeys = false;

  /// The key of the object \p E names (\p Pointer: what it points to).
  std::string syncKey(const Expr *E, bool Pointer) {
    SyncKeys = true;
    Place P = Pointer ? ofPointee(E) : ofLValue(E);
    SyncKeys = false;
    return P.Key;
  }

  /// A memory order argument that orders nothing (relaxed).
  bool relaxed(const Expr *Order) const {
    Expr::EvalResult R;
    if (!Order || !Order->EvaluateAsRValue(R, AST) || !R.Val.isInt())
      return false;
    return R.Val.getInt() == 0; // memory_order_relaxed, __ATOMIC_RELAXED
  }

  static bool isAtomicObject(const Expr *E) {
    QualType T = E->IgnoreParenImpCasts()->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (T->isAtomicType())
      return true;
    const CXXRecordDecl *RD = recordOf(T);
    return RD && RD->getIdentifier() &&
           StringRef(tableName(RD)).starts_with("std::atomic");
  }

  /// "s:<kind>:<type>" for a promise or future of \p T's value type.
  static std::string valueTypeKey(QualType T) {
    const auto *TS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        recordOf(T.getNonReferenceType()));
    if (!TS || TS->getTemplateArgs().size() != 1 ||
        TS->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return "";
    return "s:future:" +
           TS->getTemplateArgs()[0].getAsType().getCanonicalType().getAsString();
  }

  /// The events a CFG statement is: a sync API, an atomic store, or (in a
  /// function that notifies a condition variable) a write under a lock.
  void syncEventsOf(const Stmt *St, std::vector<std::pair<SyncKind, std::string>> &Out) {
    auto Add = [&](SyncKind K, std::string Key) {
      if (!Key.empty())
        Out.push_back({K, std::move(Key)});
    };
    if (const auto *AE = dyn_cast<AtomicExpr>(St)) {
      // C11 and GNU atomics: stores and read-modify-writes release.
      if (!AE->isCmpXChg() && AE->getOp() != AtomicExpr::AO__c11_atomic_load &&
          AE->getOp() != AtomicExpr::AO__atomic_load_n &&
          AE->getOp() != AtomicExpr::AO__atomic_load &&
          AE->getOp() != AtomicExpr::AO__c11_atomic_init && !relaxed(AE->getOrder()))
        Add(SyncKind::Release, syncKey(AE->getPtr(), true));
      return;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
      if (BO->isAssignmentOp() && BO->getLHS()->getType()->isAtomicType())
        Add(SyncKind::Release, syncKey(BO->getLHS(), false)); // _Atomic x = v
      else if (BO->isAssignmentOp() && Notifies && FL->heldAt(BO) &&
               !FL->heldAt(BO)->Must.locks().empty())
        Add(SyncKind::Release, syncKey(BO->getLHS(), false));
      return;
    }
    const auto *CE = dyn_cast<CallExpr>(St);
    const FunctionDecl *F = CE ? CE->getDirectCallee() : nullptr;
    if (!F || (!F->getDeclName().isIdentifier() && !isa<CXXMethodDecl>(F)))
      return;
    const Expr *Object = nullptr;
    unsigned First = 0;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      Object = MC->getImplicitObjectArgument();
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
             OC && isa<CXXMethodDecl>(F) && OC->getNumArgs() > 0) {
      Object = OC->getArg(0);
      First = 1;
    }
    if (Object && isAtomicObject(Object)) {
      StringRef Name = F->getIdentifier() ? F->getName() : "";
      std::string Op = isa<CXXOperatorCallExpr>(CE)
                           ? std::string("operator") +
                                 getOperatorSpelling(cast<CXXOperatorCallExpr>(CE)->getOperator())
                           : Name.str();
      for (const AtomicStore &A : AtomicStores)
        if (Op == A.Name) {
          const Expr *Order = A.Order + First < CE->getNumArgs() && A.Order != ~0u
                                  ? CE->getArg(A.Order + First)
                                  : nullptr;
          if (!relaxed(Order))
            Add(SyncKind::Release,
                syncKey(Object, Object->getType()->isPointerType()));
        }
      return;
    }
    // Writes to a container under a lock, in a function that notifies: the
    // producer side of a condition-variable handoff (`q.push(x)`).
    if (Object && Notifies && isContainer(Object->getType()) && FL->heldAt(CE) &&
        !FL->heldAt(CE)->Must.locks().empty())
      for (const ContainerMethod &M : ContainerMethods)
        if (F->getIdentifier() && F->getName() == M.Name &&
            M.Effect == ContainerEffect::Write)
          Add(SyncKind::Release, syncKey(Object, false));
    std::string Name = tableName(F);
    for (const SyncApi &A : SyncApis) {
      if (Name != A.Name)
        continue;
      if (A.Operand == SyncValueType && Object)
        Add(A.Kind, valueTypeKey(Object->getType()));
      else if (A.Operand == SyncObject && Object)
        Add(A.Kind, syncKey(Object, Object->getType()->isPointerType()));
      else if (A.Operand >= 0 && unsigned(A.Operand) < CE->getNumArgs())
        Add(A.Kind, syncKey(CE->getArg(A.Operand), true));
    }
    // A condition-variable wait with a predicate: what the predicate reads
    // is acquired once it returns.
    if (Object && F->getIdentifier() && llvm::is_contained(CondWaits, F->getName()) &&
        CE->getNumArgs() >= 2)
      if (const auto *L = dyn_cast<LambdaExpr>(
              CE->getArg(CE->getNumArgs() - 1)->IgnoreImplicit()))
        for (const std::string &K : keysRead(L->getBody()))
          Add(SyncKind::Acquire, K);
  }

  /// The locations an expression or statement reads.
  std::vector<std::string> keysRead(const Stmt *S) {
    std::vector<std::string> Out;
    struct Reads : RecursiveASTVisitor<Reads> {
      FunctionExtractor *Self;
      std::vector<std::string> *Out;
      bool VisitExpr(Expr *E) {
        if (isa<DeclRefExpr, MemberExpr>(E)) {
          std::string K = Self->syncKey(E, false);
          if (!K.empty() && !llvm::is_contained(*Out, K))
            Out->push_back(K);
        }
        return true;
      }
    } R;
    R.Self = this;
    R.Out = &Out;
    R.TraverseStmt(const_cast<Stmt *>(S));
    return Out;
  }

  /// An acquire a branch makes on one of its edges: a condition that loads
  /// an atomic and takes the edge where it read non-zero (`while
  /// (!ready.load()) {}` leaves the loop once it did), or a loop around a
  /// condition-variable wait, left once its condition says so.
  void edgeAcquires(const CFGBlock *B, std::vector<std::string> &OnTrue,
                    std::vector<std::string> &OnFalse) {
    const Stmt *T = B->getTerminatorStmt();
    const auto *Cond =
        dyn_cast_or_null<Expr>(B->getTerminatorCondition(/*StripParens=*/true));
    if (!T || !Cond)
      return;
    if (const Stmt *Body = loopBody(T); Body && waitsOnCondition(Body)) {
      OnFalse = keysRead(Cond);
      return;
    }
    TestedValue Tested = testedValue(Cond, 6);
    if (!Tested.E || !Tested.NonZero)
      return;
    std::string Key = atomicLoadKey(Tested.E);
    if (Key.empty())
      return;
    (*Tested.NonZero == 0 ? OnTrue : OnFalse).push_back(Key);
  }

  /// What a branch condition tests under `!` and comparisons with a
  /// constant (`!x`, `x == 0`, `x != 1`), with the successor (0: true, 1:
  /// false) where that value was surely non-zero and the one where it was
  /// surely zero. E is null when a comparison is not with a constant.
  struct TestedValue {
    const Expr *E = nullptr;
    std::optional<unsigned> NonZero, Zero;
  };
  TestedValue testedValue(const Expr *Cond, int MaxDepth) const {
    TestedValue T{Cond, 0u, 1u};
    for (int Depth = 0; Depth < MaxDepth; ++Depth) {
      T.E = T.E->IgnoreParenImpCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(T.E); U && U->getOpcode() == UO_LNot) {
        std::swap(T.NonZero, T.Zero);
        T.E = U->getSubExpr();
        continue;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(T.E);
          BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
        std::optional<llvm::APSInt> C = BO->getRHS()->getIntegerConstantExpr(AST);
        if (!C)
          return {};
        bool Eq = BO->getOpcode() == BO_EQ;
        if (C->isZero()) {
          if (Eq)
            std::swap(T.NonZero, T.Zero);
        } else {
          // `x == 1` holds only where x is non-zero; `x != 1` fails only
          // there; neither says where x is zero.
          T.NonZero = Eq ? T.NonZero : T.Zero;
          T.Zero.reset();
        }
        T.E = BO->getLHS();
        continue;
      }
      break;
    }
    return T;
  }

  /// The atomic an acquiring load reads, or "".
  std::string atomicLoadKey(const Expr *E) {
    E = E->IgnoreParens();
    // A C `_Atomic` object read as a value (testedValue strips the cast
    // that loads it): a sequentially consistent load.
    if (E->isGLValue() && E->getType()->isAtomicType())
      return syncKey(E, false);
    if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E)) {
      if (ICE->getCastKind() == CK_AtomicToNonAtomic ||
          (ICE->getCastKind() == CK_LValueToRValue &&
           ICE->getSubExpr()->getType()->isAtomicType()))
        return syncKey(ICE->getSubExpr(), false);
      return atomicLoadKey(ICE->getSubExpr());
    }
    if (const auto *AE = dyn_cast<AtomicExpr>(E))
      if ((AE->getOp() == AtomicExpr::AO__c11_atomic_load ||
           AE->getOp() == AtomicExpr::AO__atomic_load_n) &&
          !relaxed(AE->getOrder()))
        return syncKey(AE->getPtr(), true);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const Expr *Object = MC->getImplicitObjectArgument();
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (!Object || !MD || !isAtomicObject(Object))
        return "";
      bool Load = isa<CXXConversionDecl>(MD) ||
                  (MD->getIdentifier() && MD->getName() == "load" &&
                   !relaxed(MC->getNumArgs() > 0 ? MC->getArg(0) : nullptr));
      if (Load)
        return syncKey(Object, Object->getType()->isPointerType());
    }
    return "";
  }

  static const Stmt *loopBody(const Stmt *T) {
    if (const auto *W = dyn_cast<WhileStmt>(T))
      return W->getBody();
    if (const auto *F = dyn_cast<ForStmt>(T))
      return F->getBody();
    if (const auto *D = dyn_cast<DoStmt>(T))
      return D->getBody();
    return nullptr;
  }

  static bool waitsOnCondition(const Stmt *Body) {
    struct Finder : RecursiveASTVisitor<Finder> {
      bool Found = false;
      bool VisitCallExpr(CallExpr *CE) {
        if (const FunctionDecl *F = CE->getDirectCallee())
          if (F->getIdentifier() && llvm::is_contained(CondWaits, F->getName()) &&
              (!isa<CXXMethodDecl>(F) ||
               StringRef(tableName(cast<CXXMethodDecl>(F)->getParent()))
                   .starts_with("std::condition_variable")))
            Found = true;
        return !Found;
      }
    } F;
    F.TraverseStmt(const_cast<Stmt *>(Body));
    return F.Found;
  }

  /// Whether the function notifies a condition variable anywhere.
  bool Notifies = false;

  /// Per statement: the sync objects acquired on every path before it,
  /// released on some path before it, and released on every path from it
  /// to the exit (itself included).
  llvm::DenseMap<const Stmt *, llvm::BitVector> AcquiredAt, ReleasedBefore,
      ReleasedAhead;
  std::vector<std::string> SyncKeyList;

  void runSyncDataflow(const CFG &G) {
    struct NotifyFinder : RecursiveASTVisitor<NotifyFinder> {
      bool Found = false;
      bool VisitCallExpr(CallExpr *CE) {
        if (const FunctionDecl *F = CE->getDirectCallee())
          Found |= F->getIdentifier() && llvm::is_contained(CondNotifies, F->getName());
        return !Found;
      }
    } NF;
    NF.TraverseStmt(FD->getBody());
    Notifies = NF.Found;
    // The events, by statement and by edge.
    llvm::StringMap<unsigned> Index;
    auto Id = [&](const std::string &K) {
      auto [It, New] = Index.try_emplace(K, SyncKeyList.size());
      if (New)
        SyncKeyList.push_back(K);
      return It->second;
    };
    llvm::DenseMap<const Stmt *, std::vector<std::pair<SyncKind, unsigned>>> Events;
    std::map<std::pair<unsigned, unsigned>, std::vector<unsigned>> EdgeAcq;
    for (const CFGBlock *B : G) {
      for (const CFGElement &El : *B)
        if (auto CS = El.getAs<CFGStmt>()) {
          std::vector<std::pair<SyncKind, std::string>> Ev;
          syncEventsOf(CS->getStmt(), Ev);
          for (auto &[K, Key] : Ev)
            Events[CS->getStmt()].push_back({K, Id(Key)});
        }
      std::vector<std::string> OnTrue, OnFalse;
      edgeAcquires(B, OnTrue, OnFalse);
      unsigned I = 0;
      for (const CFGBlock *Succ : B->succs()) {
        if (Succ)
          for (const std::string &K : I == 0 ? OnTrue : OnFalse)
            EdgeAcq[{B->getBlockID(), Succ->getBlockID()}].push_back(Id(K));
        ++I;
      }
    }
    unsigned N = SyncKeyList.size();
    if (N == 0)
      return;
    auto Has = [&](const Stmt *St, bool Release) {
      llvm::SmallVector<unsigned, 2> Out;
      auto It = Events.find(St);
      if (It != Events.end())
        for (auto [K, I] : It->second)
          if (K == SyncKind::Both || (K == SyncKind::Release) == Release)
            Out.push_back(I);
      return Out;
    };
    unsigned NB = G.getNumBlockIDs();
    PostOrderCFGView PO(&G);
    // Forward: acquired on every path (Acq), released on some path (Rel).
    std::vector<llvm::BitVector> AcqIn(NB, llvm::BitVector(N, true)), RelIn(NB, llvm::BitVector(N));
    std::vector<bool> Reached(NB, false);
    AcqIn[G.getEntry().getBlockID()].reset();
    Reached[G.getEntry().getBlockID()] = true;
    auto Forward = [&](const CFGBlock *B, llvm::BitVector &A, llvm::BitVector &R, bool Record) {
      for (const CFGElement &El : *B)
        if (auto CS = El.getAs<CFGStmt>()) {
          const Stmt *St = CS->getStmt();
          if (Record) {
            AcquiredAt[St] = A;
            ReleasedBefore[St] = R;
          }
          for (unsigned I : Has(St, false))
            A.set(I);
          for (unsigned I : Has(St, true))
            R.set(I);
        }
    };
    bool Changed = true;
    for (int Round = 0; Changed && Round < 50; ++Round) {
      Changed = false;
      for (const CFGBlock *B : PO) {
        if (!Reached[B->getBlockID()])
          continue;
        llvm::BitVector A = AcqIn[B->getBlockID()], R = RelIn[B->getBlockID()];
        Forward(B, A, R, false);
        for (const CFGBlock *Succ : B->succs()) {
          if (!Succ)
            continue;
          unsigned S = Succ->getBlockID();
          llvm::BitVector EA = A;
          if (auto E = EdgeAcq.find({B->getBlockID(), S}); E != EdgeAcq.end())
            for (unsigned I : E->second)
              EA.set(I);
          llvm::BitVector NA = Reached[S] ? AcqIn[S] : EA, NR = RelIn[S];
          NA &= EA;
          NR |= R;
          if (!Reached[S] || NA != AcqIn[S] || NR != RelIn[S]) {
            Reached[S] = true;
            AcqIn[S] = std::move(NA);
            RelIn[S] = std::move(NR);
            Changed = true;
          }
        }
      }
    }
    for (const CFGBlock *B : G)
      if (Reached[B->getBlockID()]) {
        llvm::BitVector A = AcqIn[B->getBlockID()], R = RelIn[B->getBlockID()];
        Forward(B, A, R, true);
      }
    // Backward: released on every path to the exit.
    std::vector<llvm::BitVector> AheadIn(NB, llvm::BitVector(N, true));
    std::vector<bool> Seen(NB, false);
    auto Backward = [&](const CFGBlock *B, llvm::BitVector S, bool Record) {
      for (auto It = B->rbegin(); It != B->rend(); ++It)
        if (auto CS = It->getAs<CFGStmt>()) {
          for (unsigned I : Has(CS->getStmt(), true))
            S.set(I);
          if (Record)
            ReleasedAhead[CS->getStmt()] = S;
        }
      return S;
    };
    auto OutOf = [&](const CFGBlock *B) {
      llvm::BitVector S(N, true);
      bool Any = false;
      for (const CFGBlock *Succ : B->succs())
        if (Succ && Seen[Succ->getBlockID()]) {
          S &= AheadIn[Succ->getBlockID()];
          Any = true;
        }
      if (!Any)
        S.reset(); // the exit, or no successor known yet
      return S;
    };
    Changed = true;
    for (int Round = 0; Changed && Round < 50; ++Round) {
      Changed = false;
      for (const CFGBlock *B : PO) {
        llvm::BitVector In = Backward(B, OutOf(B), false);
        if (!Seen[B->getBlockID()] || In != AheadIn[B->getBlockID()]) {
          Seen[B->getBlockID()] = true;
          AheadIn[B->getBlockID()] = std::move(In);
          Changed = true;
        }
      }
    }
    for (const CFGBlock *B : G)
      Backward(B, OutOf(B), true);
  }

  /// Fills an access's ReleasedAfter and AcquiredBefore.
  void syncOrder(AccessFact &A, const Stmt *St) {
    if (SyncKeyList.empty() || !St)
      return;
    auto Acq = AcquiredAt.find(St);
    auto Rel = ReleasedBefore.find(St);
    auto Ahead = ReleasedAhead.find(St);
    if (Acq != AcquiredAt.end())
      for (unsigned I : Acq->second.set_bits())
        A.AcquiredBefore.push_back(SyncKeyList[I]);
    if (Ahead != ReleasedAhead.end())
      for (unsigned I : Ahead->second.set_bits())
        if (Rel == ReleasedBefore.end() || !Rel->second.test(I))
          A.ReleasedAfter.push_back(SyncKeyList[I]);
    llvm::sort(A.AcquiredBefore);
    llvm::sort(A.ReleasedAfter);
  }

  //===--------------------------------------------------------------------===//
  // Locations
  //===--------------------------------------------------------------------===//

  int paramIndex(const ParmVarDecl *P) const {
    for (unsigned I = 0; I < FD->getNumParams(); ++I)
      if (FD->getParamDecl(I) == P)
        return I;
    return -1;
  }

  /// Whether \p VD, used in this body, is a by-reference capture of the
  /// lambda this body belongs to.
  bool capturedByRef(const VarDecl *VD) const {
    if (!Lambda)
      return false;
    for (const LambdaCapture &C : Lambda->captures())
      if (C.capturesVariable() && C.getCapturedVar() == VD)
        return C.getCaptureKind() == LCK_ByRef;
    return false;
  }

  /// Set while naming the object of a call or start (objectKey): a local
  /// no thread reaches is named "o:<USR>", `this` in a constructor
  /// "p:this".
  bool NamingObject = false;

  /// The object \p E names (\p Pointer: points to) as the object of a
  /// call or thread start, or "".
  Binding objectKey(const Expr *E, bool Pointer) {
    NamingObject = true;
    Place P = Pointer ? ofPointee(E) : ofLValue(E);
    NamingObject = false;
    return P.Key;
  }

  Place ofVar(const VarDecl *VD) {
    if (VD->getTLSKind() != VarDecl::TLS_None ||
        (!SyncKeys && isSyncType(VD->getType())))
      return {};
    QualType T = VD->getType();
    if (VD->hasGlobalStorage()) {
      if (T.isConstQualified() || VD->isConstexpr())
        return {};
      return {"g:" + usrOf(VD), VD->getNameAsString()};
    }
    if (const auto *P = dyn_cast<ParmVarDecl>(VD)) {
      if (!T->isReferenceType() || T.getNonReferenceType().isConstQualified())
        return {}; // a copy, or read-only through this reference
      int I = paramIndex(P);
      if (I < 0)
        return {};
      return {"p:" + std::to_string(I), VD->getNameAsString()};
    }
    // `for (auto &x : v)`: x is an element of v (not the hidden iterator
    // it is bound through).
    if (T->isReferenceType() && VD->isCXXForRangeDecl() && VD->getDeclContext() == FD)
      if (const Expr *Range = rangeOf(VD)) {
        Place Whole = ofLValue(Range);
        if (!Whole.valid())
          return {};
        Whole.Key += "|[*]";
        return Whole;
      }
    if (T->isReferenceType() && VD->getInit() && !capturedByRef(VD) &&
        VD->getDeclContext() == FD) {
      Place Target = ofLValue(VD->getInit());
      if (!VD->isImplicit()) // `__range1`: the user reads the range
        Target.Name = VD->getNameAsString();
      return Target;
    }
    if (Escaping.count(VD) || capturedByRef(VD))
      return {"l:" + usrOf(VD), VD->getNameAsString()};
    if (NamingObject && VD->hasLocalStorage() && !T->isReferenceType() &&
        VD->getDeclContext() == FD)
      return {"o:" + usrOf(VD), VD->getNameAsString()};
    return {};
  }

  /// The range a range-for's loop variable walks (`v` of `for (x : v)`).
  const Expr *rangeOf(const VarDecl *LoopVar) {
    if (!RangesScanned) {
      RangesScanned = true;
      struct Finder : RecursiveASTVisitor<Finder> {
        llvm::DenseMap<const VarDecl *, const Expr *> *Out;
        llvm::DenseSet<const VarDecl *> *ByRef;
        bool VisitCXXForRangeStmt(CXXForRangeStmt *S) {
          const VarDecl *Loop = S->getLoopVariable();
          if (Loop && S->getRangeInit())
            (*Out)[Loop] = S->getRangeInit();
          if (Loop && Loop->getType()->isReferenceType() && S->getRangeStmt())
            if (const auto *R = dyn_cast_or_null<VarDecl>(S->getRangeStmt()->getSingleDecl()))
              ByRef->insert(R);
          return true;
        }
      } F;
      F.Out = &Ranges;
      F.ByRef = &RangesByRef;
      F.TraverseStmt(FD->getBody());
    }
    return Ranges.lookup(LoopVar);
  }
  llvm::DenseMap<const VarDecl *, const Expr *> Ranges;
  /// The hidden range variables of range-fors whose loop variable is a
  /// reference: their elements are accessed through it.
  llvm::DenseSet<const VarDecl *> RangesByRef;
  bool RangesScanned = false;

  /// Whether \p Object is the hidden range variable of a range-for whose
  /// loop variable (a reference) carries the accesses.
  bool walkedByReference(const Expr *Object) {
    const auto *DRE = dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !VD->isImplicit())
      return false;
    rangeOf(VD); // scans the body once
    return RangesByRef.contains(VD);
  }

  /// What a pointer expression points to.
  Place ofPointee(const Expr *P) {
    P = P->IgnoreParenImpCasts();
    // container_of: `(T *)((char *)p - offsetof(T, member))` points to the
    // object whose member p points to ("|^" when snag cannot see which
    // member; the link step takes the step back once it knows).
    if (const auto *CE = dyn_cast<ExplicitCastExpr>(P);
        CE && CE->getType()->isPointerType())
      if (const auto *BO = dyn_cast<BinaryOperator>(CE->getSubExpr()->IgnoreParens());
          BO && BO->getOpcode() == BO_Sub && BO->getLHS()->getType()->isPointerType() &&
          BO->getRHS()->getType()->isIntegerType()) {
        Place In = ofPointee(BO->getLHS()->IgnoreParenCasts());
        if (!In.valid())
          return {};
        size_t Bar = In.Key.rfind('|');
        if (Bar != std::string::npos && In.Key.compare(Bar, 2, "|.") == 0)
          In.Key.resize(Bar);
        else
          In.Key += "|^";
        return In;
      }
    // `reinterpret_cast<DB *>(arg)`: a pointer cast to another pointer type
    // points where it did (leveldb's `BGWork(void *db)`).
    while (const auto *C = dyn_cast<ExplicitCastExpr>(P)) {
      if (!C->getSubExpr()->getType()->isPointerType() ||
          !C->getType()->isPointerType())
        break;
      P = C->getSubExpr()->IgnoreParenImpCasts();
    }
    if (isa<CXXThisExpr>(P)) {
      if (InCtorOrDtor && !NamingObject)
        return {};
      return {"p:this", "this"};
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(P); UO && UO->getOpcode() == UO_AddrOf)
      return ofLValue(UO->getSubExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(P)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD)
        return {};
      if (VD->getType()->isArrayType()) {
        Place A = ofVar(VD);
        if (A.valid())
          A.Key += "|[*]";
        return A;
      }
      if (!VD->getType()->isPointerType() ||
          (!SyncKeys && (VD->getType()->getPointeeType().isConstQualified() ||
                         isSyncType(VD->getType()->getPointeeType()))))
        return {};
      if (const auto *PV = dyn_cast<ParmVarDecl>(VD)) {
        int I = paramIndex(PV);
        if (I < 0)
          return {};
        return {"p:" + std::to_string(I), VD->getNameAsString()};
      }
      if (VD->hasGlobalStorage() && VD->getTLSKind() == VarDecl::TLS_None)
        return {"g:" + usrOf(VD) + "|*", VD->getNameAsString()};
      if (VD->getDeclContext() == FD)
        return ofLocalPointee(VD);
    }
    return {};
  }

  /// What a pointer field points to (`w->buf`), as a call's argument:
  /// through the object that holds the field when snag can name it, else
  /// through the field itself ("t:", what that field of any object points
  /// to). Buffers that different kinds of objects hold (a logger's, a
  /// crawler's) handed to one function stay apart.
  Place ofPointerField(const Expr *P) {
    const auto *ME = dyn_cast<MemberExpr>(P->IgnoreParenImpCasts());
    const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (!F || !F->getType()->isPointerType() ||
        F->getType()->getPointeeType().isConstQualified() ||
        isSyncType(F->getType()->getPointeeType()))
      return {};
    Place Holder = ofLValue(ME);
    if (Holder.valid())
      return {Holder.Key + "|*", Holder.Name, "", Holder.Owner};
    return {"t:" + usrOf(F) + "|*", F->getNameAsString()};
  }

  /// What a local pointer points to: the one value it is ever given (a
  /// copy of a parameter, of a global pointer, of another such local), or
  /// the block it was allocated with when a thread start is handed it.
  Place ofLocalPointee(const VarDecl *VD) {
    if (NamingObject) {
      // Not remembered: an access through the pointer names no "o:" key.
      const Expr *Def = onlyValueOf(VD);
      if (!Def)
        return {};
      const Expr *D = Def->IgnoreParenCasts();
      if (isAllocation(D))
        return HandedTo.count(VD) ? Place{} : Place{"o:" + usrOf(VD) + "|*", VD->getNameAsString()};
      Place Out = ofPointee(Def);
      Out.Name = VD->getNameAsString();
      return Out;
    }
    auto [It, New] = LocalPointee.try_emplace(VD);
    if (!New)
      return It->second; // also cuts `p = q; q = p;` cycles
    const Expr *Def = onlyValueOf(VD);
    if (!Def)
      return {};
    Place Out;
    const Expr *D = Def->IgnoreParenCasts();
    if (isAllocation(D)) {
      // A block allocated in the loop that starts the threads is each
      // thread's own.
      if (HandedTo.count(VD)) {
        Out = {"l:" + usrOf(VD) + (HandedEach.count(VD) ? "|[#]" : "|*"),
               VD->getNameAsString()};
        Out.Owner = VD;
      }
    } else {
      Out = ofPointee(Def);
      if (Out.valid())
        Out.Name = VD->getNameAsString();
    }
    return LocalPointee[VD] = Out;
  }

  /// The single value a local is given, its initializer, when nothing in
  /// the function assigns it again or takes its address.
  const Expr *onlyValueOf(const VarDecl *VD) {
    const Expr *Init = VD->getInit();
    if (!Init || capturedByRef(VD))
      return nullptr;
    return changedIn(VD) ? nullptr : Init;
  }

  /// malloc, calloc, realloc, strdup and new: a fresh block.
  static bool isAllocation(const Expr *E) {
    if (isa<CXXNewExpr>(E))
      return true;
    if (const auto *CE = dyn_cast<CallExpr>(E))
      if (const FunctionDecl *F = CE->getDirectCallee())
        return F->getIdentifier() &&
               llvm::is_contained({"malloc", "calloc", "realloc", "strdup",
                                   "aligned_alloc", "xmalloc", "xcalloc"},
                                  F->getName());
    return false;
  }

  /// The step an index makes: "[3]" for a constant, "[%N]" for the value
  /// of parameter N (or a local that only copies it), which the link step
  /// makes "[#]" where each instance of a thread was handed its own loop
  /// index, and "[#]" for a loop index a lambda captured by copy and was
  /// started with in that loop; "[*]" for any other.
  std::string indexSuffix(const Expr *Idx, const ASTContext &AST) {
    if (std::optional<llvm::APSInt> V = Idx->getIntegerConstantExpr(AST))
      return "|[" + std::to_string(V->getExtValue()) + "]";
    const auto *DRE = dyn_cast<DeclRefExpr>(Idx->IgnoreParenCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    // An integer, or a pointer-sized argument cast to one (`(intptr_t)arg`).
    if (!VD || !(VD->getType()->isIntegerType() || VD->getType()->isPointerType()))
      return "|[*]";
    if (VD->getDeclContext() == FD && !isa<ParmVarDecl>(VD))
      if (const Expr *Def = onlyValueOf(VD)) {
        const auto *From = dyn_cast<DeclRefExpr>(Def->IgnoreParenCasts());
        VD = From ? dyn_cast<ParmVarDecl>(From->getDecl()) : nullptr;
        if (!VD)
          return "|[*]";
      }
    if (const auto *P = dyn_cast<ParmVarDecl>(VD); P && !changedIn(P)) {
      int I = paramIndex(P);
      return I < 0 ? "|[*]" : "|[%" + std::to_string(I) + "]";
    }
    if (Lambda && capturedByCopy(VD) && startedInLoopOver(Lambda, VD))
      return "|[#]";
    return "|[*]";
  }

  /// Whether \p VD is captured by copy by the lambda this body belongs to.
  bool capturedByCopy(const VarDecl *VD) const {
    for (const LambdaCapture &C : Lambda->captures())
      if (C.capturesVariable() && C.getCapturedVar() == VD)
        return C.getCaptureKind() == LCK_ByCopy;
    return false;
  }

  /// Whether \p L is the callable of a thread start inside a `for` loop
  /// that steps \p Index: each instance has its own copy of the index.
  bool startedInLoopOver(const CXXRecordDecl *L, const VarDecl *Index) const {
    for (const ThreadStartSite &S : threadStarts(Ctx)) {
      if (!S.Start.Lambda || S.Start.Lambda->getLambdaClass() != L || !S.InLoop)
        continue;
      // The start is in the enclosing function, whose parents this body's
      // map does not hold: walk up through the TU's.
      DynTypedNodeList Parents = AST.getParents(*S.Start.Call);
      while (!Parents.empty()) {
        if (const auto *For = Parents[0].get<ForStmt>())
          return For->getInc() && mentions(For->getInc(), Index);
        if (Parents[0].get<FunctionDecl>() || Parents[0].get<LambdaExpr>())
          return false;
        Parents = AST.getParents(Parents[0]);
      }
    }
    return false;
  }

  /// The location an lvalue names, or nothing if no other thread can reach
  /// it (a local, a copy, an atomic, a constant).
  Place ofLValue(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        return ofVar(VD);
      return {};
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl()))
        return ofVar(VD); // a static member
      const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!F || (!SyncKeys && (isSyncType(F->getType()) ||
                               F->getType().isConstQualified())))
        return {};
      Place Base = ME->isArrow() ? ofPointee(ME->getBase()) : ofLValue(ME->getBase());
      if (!Base.valid())
        return {};
      std::string Name = F->getNameAsString();
      if (Base.Name != "this")
        Name = Base.Name + (ME->isArrow() ? "->" : ".") + Name;
      Place Out{Base.Key + "|." + F->getNameAsString(), Name, "", Base.Owner};
      if (const auto *GB = F->getAttr<GuardedByAttr>()) {
        LockId L = lockIdOf(GB->getArg(), AST);
        Out.GuardedBy = L.valid() ? L.Name : "its lock";
      }
      return Out;
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
      const Expr *Base = ASE->getBase()->IgnoreParenImpCasts();
      Place B = Base->getType()->isArrayType() ? ofLValue(Base)
                                               : ofPointee(ASE->getBase());
      if (!B.valid())
        return {};
      B.Key += indexSuffix(ASE->getIdx(), AST);
      return B;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Deref) {
      Place P = ofPointee(UO->getSubExpr());
      if (P.valid() && P.Name != "this")
        P.Name = "*" + P.Name;
      return P;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      // Element access on a sequence container: v[3], arr[i].
      if (OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2 &&
          isContainer(OC->getArg(0)->getType()) &&
          !nameIn(recordOf(OC->getArg(0)->getType()), InsertingSubscript)) {
        Place B = ofLValue(OC->getArg(0));
        if (B.valid())
          B.Key += indexSuffix(OC->getArg(1), AST);
        return B;
      }
    }
    return {};
  }

  //===--------------------------------------------------------------------===//
  // Accesses
  //===--------------------------------------------------------------------===//

  const Stmt *parentOf(const Stmt *S) const {
    const Stmt *P = PM->getParent(S);
    while (P && (isa<ParenExpr>(P) ||
                 (isa<ImplicitCastExpr>(P) &&
                  cast<ImplicitCastExpr>(P)->getCastKind() != CK_LValueToRValue &&
                  cast<ImplicitCastExpr>(P)->getCastKind() != CK_ArrayToPointerDecay)))
      P = PM->getParent(P);
    return P;
  }

  /// Whether \p E is part of a larger lvalue (`a` in `a.b`, `a[i]`, `&a`),
  /// which is the access instead.
  bool isInnerLValue(const Expr *E, const Stmt *P) const {
    if (!P)
      return false;
    if (const auto *ME = dyn_cast<MemberExpr>(P))
      return ME->getBase()->IgnoreParenImpCasts() == E;
    if (const auto *IC = dyn_cast<ImplicitCastExpr>(P);
        IC && IC->getCastKind() == CK_ArrayToPointerDecay) {
      const Stmt *PP = parentOf(IC);
      return PP && (isa<ArraySubscriptExpr>(PP) ||
                    (isa<UnaryOperator>(PP) &&
                     cast<UnaryOperator>(PP)->getOpcode() == UO_Deref) ||
                    isa<CallExpr>(PP));
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(P))
      return UO->getOpcode() == UO_AddrOf;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P))
      return MC->getImplicitObjectArgument()->IgnoreParenImpCasts() == E;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P))
      return OC->getNumArgs() > 0 && OC->getArg(0)->IgnoreParenImpCasts() == E &&
             isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee());
    if (isa<MaterializeTemporaryExpr>(P) || isa<CallExpr>(P) ||
        isa<CXXConstructExpr>(P))
      return E->isGLValue() && !isa<ImplicitCastExpr>(E) &&
             bindsToReference(E, P);
    return false;
  }

  /// Whether \p E is passed to a reference parameter of \p Call (the callee
  /// reads or writes it itself; its facts say which).
  bool bindsToReference(const Expr *E, const Stmt *P) const {
    while (isa_and_nonnull<MaterializeTemporaryExpr>(P))
      P = parentOf(P);
    return isa_and_nonnull<CallExpr>(P) || isa_and_nonnull<CXXConstructExpr>(P);
  }

  bool isWrite(const Expr *E, const Stmt *P) const {
    if (!P)
      return false;
    if (const auto *BO = dyn_cast<BinaryOperator>(P))
      return BO->isAssignmentOp() && BO->getLHS()->IgnoreParenImpCasts() == E;
    if (const auto *UO = dyn_cast<UnaryOperator>(P))
      return UO->isIncrementDecrementOp();
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P))
      return OC->isAssignmentOp() && OC->getArg(0)->IgnoreParenImpCasts() == E;
    return false;
  }

  void addAccess(const Expr *E, const Place &Pl, bool Write,
                 const llvm::BitVector *Running) {
    // Filling in a block before handing it over races with nothing: each
    // call of this function allocates its own.
    if (Pl.Owner && (!Running || llvm::none_of(HandedTo[Pl.Owner], [&](unsigned I) {
                       return I < Running->size() && Running->test(I);
                     })))
      return;
    // A block allocated anew in each round of the loop that hands it to a
    // thread: before the start, it is this round's block, which no thread
    // has yet (the threads of earlier rounds have their own).
    if (Pl.Owner && HandedEach.count(Pl.Owner) && beforeEveryHandingStart(E, Pl.Owner))
      return;
    AccessFact A;
    A.Loc = Pl.Key;
    A.Name = Pl.Name;
    A.GuardedBy = Pl.GuardedBy;
    A.Write = Write;
    A.At = site(E->getExprLoc());
    A.Held = heldAt(E);
    A.UnlockWindow = inUnlockWindow(E);
    A.Running = bits(Running);
    syncOrder(A, CurStmt);
    AccessOf[E] = Facts.Accesses.size();
    AccessStmt.push_back(CurStmt);
    Facts.Accesses.push_back(std::move(A));
  }

  void visitAccess(const Expr *E, const llvm::BitVector *Running) {
    if (!Ctx.isUserCode(E->getExprLoc()) && !E->getExprLoc().isMacroID())
      return;
    // Calls on standard containers read or write the whole container.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      visitContainerCall(E, MC->getMethodDecl(), MC->getImplicitObjectArgument(),
                         Running);
      return;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OC->getNumArgs() > 0)
        if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee()))
          visitContainerCall(E, MD, OC->getArg(0), Running);
      return;
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      visitMemoryCall(CE, Running);
      return;
    }
    if (!isa<DeclRefExpr>(E) && !isa<MemberExpr>(E) &&
        !isa<ArraySubscriptExpr>(E) &&
        !(isa<UnaryOperator>(E) && cast<UnaryOperator>(E)->getOpcode() == UO_Deref))
      return;
    if (!E->isGLValue())
      return;
    const Stmt *P = parentOf(E);
    if (isInnerLValue(E, P))
      return;
    bool Write = isWrite(E, P);
    bool Read = !Write && P && isa<ImplicitCastExpr>(P) &&
                cast<ImplicitCastExpr>(P)->getCastKind() == CK_LValueToRValue;
    if (!Write && !Read)
      return;
    Place Pl = ofLValue(E);
    if (Pl.valid())
      addAccess(E, Pl, Write, Running);
  }

  /// memset, memcpy and their kind: a write or read of what the pointer
  /// arguments point to.
  void visitMemoryCall(const CallExpr *CE, const llvm::BitVector *Running) {
    const FunctionDecl *F = CE->getDirectCallee();
    if (!F || !F->getIdentifier())
      return;
    StringRef Name = F->getName();
    Name.consume_front("__builtin_");
    Name.consume_front("__");
    Name.consume_back("_chk");
    for (const MemoryFunction &M : MemoryFunctions) {
      if (Name != M.Name)
        continue;
      auto Add = [&](int Arg, bool Write) {
        if (Arg < 0 || static_cast<unsigned>(Arg) >= CE->getNumArgs())
          return;
        const Expr *A = CE->getArg(Arg);
        Place Pl = ofPointee(A);
        if (Pl.valid())
          addAccess(A, Pl, Write, Running);
      };
      Add(M.Wr, true);
      Add(M.Rd, false);
      Add(M.Rd2, false);
      return;
    }
  }

  void visitContainerCall(const Expr *Call, const CXXMethodDecl *MD,
                          const Expr *Object, const llvm::BitVector *Running) {
    if (!MD || !isContainer(Object->getType()) || walkedByReference(Object))
      return;
    std::string Name = MD->getNameAsString();
    ContainerEffect Effect = ContainerEffect::None;
    for (const ContainerMethod &M : ContainerMethods)
      if (Name == M.Name)
        Effect = M.Effect;
    if (Effect == ContainerEffect::None)
      return;
    if (Effect == ContainerEffect::Element) {
      // map[key] inserts; v[i] and v.at(i) are element accesses, read or
      // written by what surrounds them.
      if (Name == "operator[]" && nameIn(recordOf(Object->getType()), InsertingSubscript)) {
        Effect = ContainerEffect::Write;
      } else {
        const Stmt *P = parentOf(Call);
        if (isInnerLValue(Call, P))
          return;
        bool Write = isWrite(Call, P);
        bool Read = !Write && P && isa<ImplicitCastExpr>(P) &&
                    cast<ImplicitCastExpr>(P)->getCastKind() == CK_LValueToRValue;
        if (!Write && !Read)
          Read = true;
        Place Pl = ofLValue(Object);
        if (!Pl.valid())
          return;
        if (Name == "operator[]")
          if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call); OC && OC->getNumArgs() == 2)
            Pl.Key += indexSuffix(OC->getArg(1), AST);
        if (Name == "at")
          if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call); MC && MC->getNumArgs() == 1)
            Pl.Key += indexSuffix(MC->getArg(0), AST);
        addAccess(Call, Pl, Write, Running);
        return;
      }
    }
    if (MD->isConst() && Effect == ContainerEffect::Write)
      Effect = ContainerEffect::Read;
    Place Pl = ofLValue(Object);
    if (Pl.valid())
      addAccess(Call, Pl, Effect == ContainerEffect::Write, Running);
  }

  //===--------------------------------------------------------------------===//
  // Calls
  //===--------------------------------------------------------------------===//

  /// Whether \p E names a local of this function (or a part of one) that
  /// no other thread can reach.
  bool ownLocal(const Expr *E) const {
    E = E->IgnoreParenImpCasts();
    while (true) {
      if (const auto *ME = dyn_cast<MemberExpr>(E); ME && !ME->isArrow())
        E = ME->getBase()->IgnoreParenImpCasts();
      else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E);
               ASE && ASE->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
        E = ASE->getBase()->IgnoreParenImpCasts();
      else
        break;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
           !VD->getType()->isReferenceType() && !Escaping.count(VD) &&
           !capturedByRef(VD);
  }

  /// Whether the pointer \p E hands a callee an object of this caller's
  /// alone, which the callee fills or works on for it: `&size` or a local
  /// array (`histogram(counts)`) no thread can reach, a local pointer whose
  /// one value is such an address (`ZopfliHash *h = &hash; init(h)`), or a
  /// block allocated here and handed to no thread.
  bool callerOwns(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      return ownLocal(UO->getSubExpr());
    if (E->getType()->isArrayType())
      return ownLocal(E);
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) || HandedTo.count(VD))
      return false;
    const Expr *V = onlyValueOf(VD);
    if (!V)
      return false;
    V = V->IgnoreParenCasts();
    const auto *UO = dyn_cast<UnaryOperator>(V);
    return (UO && UO->getOpcode() == UO_AddrOf && ownLocal(UO->getSubExpr())) ||
           isAllocation(V);
  }

  /// What each parameter of \p Callee receives from \p Args.
  std::vector<Binding> bindings(llvm::ArrayRef<const Expr *> Args,
                                const FunctionDecl *Callee, bool Copies) {
    std::vector<Binding> Out;
    for (unsigned I = 0; I < Args.size(); ++I) {
      const Expr *A = Args[I];
      QualType PT;
      if (Callee && I < Callee->getNumParams())
        PT = Callee->getParamDecl(I)->getType();
      Binding B = "-";
      const Expr *Stripped = A->IgnoreParenImpCasts();
      while (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(Stripped))
        Stripped = MT->getSubExpr()->IgnoreParenImpCasts();
      bool IsRef = false;
      if (const auto *CE = dyn_cast<CallExpr>(Stripped))
        if (const FunctionDecl *F = CE->getDirectCallee())
          if (CE->getNumArgs() == 1 &&
              (tableName(F) == "std::ref" || tableName(F) == "std::cref")) {
            Stripped = CE->getArg(0);
            IsRef = true;
          }
      if (IsRef || (!Copies && !PT.isNull() && PT->isReferenceType())) {
        Place Pl = ofLValue(Stripped);
        B = Pl.valid() ? Pl.Key : ownLocal(Stripped) ? "-" : "";
      } else if (Stripped->getType()->isPointerType() ||
                 Stripped->getType()->isArrayType()) {
        Place Pl = Stripped->getType()->isArrayType() ? ofLValue(Stripped)
                                                      : ofPointee(Stripped);
        if (!Pl.valid() && !Stripped->getType()->isArrayType())
          Pl = ofPointerField(Stripped);
        B = Pl.valid() ? Pl.Key : "";
        if (!Pl.valid() && isa<CXXNullPtrLiteralExpr, GNUNullExpr>(Stripped))
          B = "-";
        if (!Pl.valid() && !IsRef && callerOwns(Stripped))
          B = "-";
      }
      Out.push_back(std::move(B));
    }
    // Trailing "-" stay: a missing binding means "unknown" to the link step.
    return Out;
  }

  void visitCall(const CallExpr *CE, const FunctionDecl *Callee,
                 const llvm::BitVector *Running) {
    // A lock function of the user's is still code that runs: its own
    // accesses count (the lock it takes is the caller's held set's).
    const LockAPI *API = Locks.apiFor(CE);
    if (!Callee || (API && !API->Wrapper) || StartOf.count(CE))
      return;
    std::vector<std::string> Joined;
    if (auto J = threadModel(Ctx).join(CE))
      Joined = joinKeys(*J);
    if (!Joined.empty() && !threadModel(Ctx).threadFunction(Callee)) {
      // A thread API's join: a call fact of its own, with no callee.
      CallFact C;
      C.At = site(CE->getExprLoc());
      C.Joins = std::move(Joined);
      C.Held = heldAt(CE);
      C.Running = bits(Running);
      CallOf[CE] = Facts.Calls.size();
      Facts.Calls.push_back(std::move(C));
      return;
    }
    // Only calls into the user's code can reach more user code.
    if (!Ctx.isUserCode(Callee->getLocation()))
      return;
    CallFact C;
    C.Callee = usrOf(Callee->getCanonicalDecl());
    if (C.Callee.empty())
      return;
    C.At = site(CE->getExprLoc());
    llvm::SmallVector<const Expr *, 4> Args;
    const Expr *Object = nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      Object = MC->getImplicitObjectArgument();
    unsigned First = 0;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
        OC && isa<CXXMethodDecl>(Callee)) {
      Object = OC->getArg(0);
      First = 1;
    }
    for (unsigned I = First; I < CE->getNumArgs(); ++I)
      Args.push_back(CE->getArg(I));
    C.Args = bindings(Args, Callee, /*Copies=*/false);
    if (Object)
      C.Object = objectKey(Object, Object->getType()->isPointerType());
    // A lambda written here and called here: `this` in its body is this
    // function's (it captured it), not the closure.
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
        MD && MD->getParent()->isLambda() && MD->getParent()->getDeclContext() == FD)
      C.Object = capturesThis(MD->getParent()) ? "p:this" : "";
    C.Held = heldAt(CE);
    C.Running = bits(Running);
    C.Joins = std::move(Joined);
    CallOf[CE] = Facts.Calls.size();
    Facts.Calls.push_back(std::move(C));
  }

  void visitConstruct(const CXXConstructExpr *CC, const llvm::BitVector *Running) {
    // Constructors of the user's classes run user code.
    const CXXConstructorDecl *Ctor = CC->getConstructor();
    if (!Ctor || !Ctx.isUserCode(Ctor->getLocation()) || StartOf.count(CC))
      return;
    CallFact C;
    C.Callee = usrOf(Ctor->getCanonicalDecl());
    C.At = site(CC->getExprLoc());
    llvm::SmallVector<const Expr *, 4> Args(CC->arguments());
    C.Args = bindings(Args, Ctor, false);
    // The object constructed: a constructor that starts a thread on `this`
    // hands it that object.
    if (auto It = Initialized.find(CC); It != Initialized.end()) {
      NamingObject = true;
      C.Object = ofVar(It->second).Key;
      NamingObject = false;
    }
    C.Held = heldAt(CC);
    C.Running = bits(Running);
    CallOf[CC] = Facts.Calls.size();
    Facts.Calls.push_back(std::move(C));
  }

  //===--------------------------------------------------------------------===//
  // Split critical sections
  //===--------------------------------------------------------------------===//

  /// The local variable a read's value is stored into (`seen = x`,
  /// `int seen = x`), if any.
  const VarDecl *storedInto(const Expr *Read) {
    const Stmt *P = parentOf(Read);
    for (int Depth = 0; P && Depth < 6; ++Depth) {
      if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
        if (BO->getOpcode() == BO_Assign) {
          if (const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
            if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && VD->hasLocalStorage())
              return VD;
          return nullptr;
        }
      } else if (const auto *DS = dyn_cast<DeclStmt>(P)) {
        if (DS->isSingleDecl())
          if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
            return VD;
        return nullptr;
      } else if (!isa<Expr>(P)) {
        return nullptr;
      }
      P = parentOf(P);
    }
    return nullptr;
  }

  static bool mentions(const Stmt *S, const VarDecl *VD) {
    if (!S)
      return false;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      return DRE->getDecl() == VD;
    for (const Stmt *C : S->children())
      if (mentions(C, VD))
        return true;
    return false;
  }

  /// The value written by a write access: the assignment's right side.
  const Expr *writtenValue(const Expr *W) {
    const Stmt *P = parentOf(W);
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P))
      return BO->getRHS();
    if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P); OC && OC->getNumArgs() == 2)
      return OC->getArg(1);
    return nullptr;
  }

  void findSplitUpdates() {
    if (!FL->touchesLocks())
      return;
    // In access order, not the map's pointer order: the facts (and the
    // lock table this fills) are the same from run to run.
    std::vector<std::pair<unsigned, const Expr *>> Ordered;
    for (const auto &[E, I] : AccessOf)
      Ordered.push_back({I, E});
    llvm::sort(Ordered);
    for (const auto &[RI, ReadE] : Ordered) {
      const AccessFact &R = Facts.Accesses[RI];
      if (R.Write || R.Held.empty())
        continue;
      const VarDecl *Tmp = storedInto(ReadE);
      if (!Tmp)
        continue;
      const HeldState *RH = FL->heldAt(ReadE);
      for (const auto &[WI, WriteE] : Ordered) {
        const AccessFact &W = Facts.Accesses[WI];
        if (!W.Write || W.Loc != R.Loc || WriteE == ReadE)
          continue;
        const HeldState *WH = FL->heldAt(WriteE);
        if (!RH || !WH)
          continue;
        const Expr *Value = writtenValue(WriteE);
        if (!Value || !mentions(Value, Tmp))
          continue;
        // The same lock, taken again: held at both, from different sites.
        for (const HeldLock &L : RH->Must.locks()) {
          const HeldLock *L2 = WH->Must.find(L.Lock);
          if (!L2 || L2->AcquiredAt == L.AcquiredAt || !L.AcquiredAt)
            continue;
          SplitUpdateFact S;
          S.Loc = R.Loc;
          S.Name = R.Name;
          S.Lock = lockIndex(L);
          S.Read = R.At;
          S.Write = W.At;
          Facts.SplitUpdates.push_back(std::move(S));
          break;
        }
      }
    }
  }
};

} // namespace

void extractProgramFacts(TUContext &Ctx) {
  LockModel &Locks = LockModel::of(Ctx);
  ProgramFacts &PF = Ctx.Facts.Program;
  llvm::StringMap<uint32_t> FileIndex, LockIndex;
  for (const FunctionDecl *FD : userFunctionBodies(Ctx))
    FunctionExtractor(Ctx, Locks, PF, FileIndex, LockIndex, FD).run();
  if (const char *Env = std::getenv("SNAG_DUMP"); Env && StringRef(Env).contains("facts"))
    llvm::outs() << llvm::formatv("{0:2}", toJSON(PF)) << "\n";
}

} // namespace snag
