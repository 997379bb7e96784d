//===- Locks.h - The lock model: lock APIs, lock identity, held sets ------===//
//
// Every rule that cares about locks reads this model instead of matching
// names itself:
//
//  - ONE table of lock APIs (std mutexes and guards, std::lock, pthread
//    mutex/rwlock/spin, C11 mtx_*, and the user's own functions from
//    .snag.yaml), see lockAPIs() and guardAPIs();
//  - lock identity: which lock an expression names (a global, a field of
//    some object, a parameter, a local), see LockId and lockIdOf();
//  - per function, a held-set dataflow over Clang's CFG (exception edges,
//    implicit guard destructors, try_lock results on their branches): every
//    lock event with the locks that must / may be held before it, the held
//    sets before any statement, and the locks possibly held at each exit.
//
// The model is built lazily, once per function and per TU, and shared by
// every rule of the TU (LockModel::of).
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_LOCKS_H
#define SNAG_MODEL_LOCKS_H

#include "check/Config.h"
#include "model/ProgramFacts.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snag {

class TUContext;

//===----------------------------------------------------------------------===//
// The table of lock APIs
//===----------------------------------------------------------------------===//

/// What a call does to the lock it names.
enum class LockOp {
  Acquire,          ///< exclusive: lock(), pthread_mutex_lock, wrlock
  AcquireShared,    ///< reader: lock_shared(), pthread_rwlock_rdlock
  TryAcquire,       ///< exclusive, held only where the result says so
  TryAcquireShared, ///< reader, held only where the result says so
  Release,          ///< unlock of either mode (unlock, unlock_shared, rwlock_unlock)
  Wait,             ///< condition-variable wait (CondVars.h): released, then re-taken
  Disown,           ///< unique_lock::release(): still held, no longer guarded
};

/// For try-locks: which result means the lock was taken.
enum class TrySuccess {
  True,     ///< a bool / non-zero result (try_lock(), owns_lock())
  Zero,     ///< 0 (pthread_*trylock, mtx_trylock == thrd_success)
  MinusOne, ///< -1 (std::try_lock)
  NonNull,  ///< a non-null pointer (a function that returns the lock it took)
};

/// Which argument names the lock.
constexpr int ObjectArg = -1; ///< the object of a member call
constexpr int AllArgs = -2;   ///< every argument (std::lock, std::try_lock)
constexpr int NoLockArg = -3; ///< none: the row's CalleeLocks name it

/// One row of the lock API table.
struct LockAPI {
  /// Qualified name, inline namespaces left out: "std::mutex::lock",
  /// "pthread_mutex_lock", "std::unique_lock::unlock".
  std::string Name;
  LockOp Op;
  int LockArg = ObjectArg;
  TrySuccess Success = TrySuccess::True;
  /// Whether the object is a guard (unique_lock, shared_lock): the event
  /// acts on the lock the guard manages.
  bool OnGuard = false;
  /// Whether the row came from the user's .snag.yaml.
  bool User = false;
  /// For a row summarising one of the user's functions (a wrapper that
  /// returns holding a lock, or releases its caller's; Clang thread-safety
  /// attributes): the locks in the wrapper's own terms, mapped into each
  /// caller's at the call (a global stays itself, a parameter becomes the
  /// argument, a field of `this` the field of the call's object). Used
  /// instead of LockArg when not empty.
  std::vector<struct LockId> CalleeLocks;
  const clang::FunctionDecl *Wrapper = nullptr;
  /// For a try that says whether it took the lock through an
  /// out-parameter instead of its result (`lru_pull(..., &info)` holds the
  /// lock where it stored an item in `info.it`; `get(..., &overflow)` where
  /// it stored false): the parameter it writes through, -1 for the result.
  /// Success then reads the value written there.
  int WitnessArg = -1;
  /// The field of what WitnessArg points to that is written (`info.it`),
  /// "" for the pointee itself (`*overflow`).
  std::string WitnessField;
};

/// The built-in rows (the user's rows are added per configuration).
llvm::ArrayRef<LockAPI> lockAPIs();

/// An RAII guard type: its constructor takes the lock, its destructor
/// releases it.
struct GuardAPI {
  const char *Name; ///< "std::lock_guard", "std::unique_lock", ...
  bool Shared;      ///< takes the lock in reader mode (shared_lock)
  bool AllArgs;     ///< every constructor argument is a lock (scoped_lock)
  bool Movable;     ///< ownership moves with the object (unique_lock)
};
llvm::ArrayRef<GuardAPI> guardAPIs();

/// The kind of a lock, from the type of the lock object.
enum class LockKind {
  Mutex,     ///< std::mutex, std::timed_mutex, pthread_mutex_t, mtx_t
  Recursive, ///< std::recursive_(timed_)mutex: may be re-taken by its holder
  Shared,    ///< std::shared_(timed_)mutex, pthread_rwlock_t
  Spin,      ///< pthread_spinlock_t
  Unknown,   ///< a user type, or a type snag does not know
};

//===----------------------------------------------------------------------===//
// Lock identity
//===----------------------------------------------------------------------===//

/// Which lock an expression names. Two LockIds with the same key() are the
/// same lock as far as snag can tell; mayAlias() says whether they might be.
struct LockId {
  /// What the lock is, independent of which object holds it:
  ///   "g:<USR>"        a global, a static member, a function-local static
  ///   "f:Class::field" a field (Base says of which object)
  ///   "p:<USR>"        a reference or pointer parameter of the function
  ///   "l:<USR>"        a local variable
  ///   "?:<text>"       anything else, by its spelling
  std::string Key;
  /// For fields: the object the field belongs to, in the same encoding as
  /// Key, or "this"; empty for everything else.
  std::string Base;
  /// As the user reads it: "m", "a.m", "m_", "lock".
  std::string Name;
  LockKind Kind = LockKind::Unknown;

  bool valid() const { return !Key.empty(); }
  /// Key and base together: the identity within one function.
  std::string key() const { return Base.empty() ? Key : Key + "@" + Base; }
  /// Whether the two may be the same lock at run time: same key, and the
  /// bases are equal or at least one of them is not a known global object.
  bool mayAlias(const LockId &O) const;
  bool operator==(const LockId &O) const { return key() == O.key(); }
};

/// The one lock of a verification harness's atomic sections
/// (`__VERIFIER_atomic_begin()`/`end()`, and functions named
/// `__VERIFIER_atomic_*`, which run inside one).
LockId atomicSectionLock();
/// Whether \p FD runs inside an atomic section (`__VERIFIER_atomic_inc`).
bool runsAtomically(const clang::FunctionDecl *FD);

/// The lock \p E names (an lvalue or a pointer to it: `m`, `&m`, `s->mu`,
/// `*p`). Invalid when \p E names nothing snag can identify.
LockId lockIdOf(const clang::Expr *E, const clang::ASTContext &AST);

/// The kind of lock an object of type \p T is.
LockKind lockKindOf(clang::QualType T);

//===----------------------------------------------------------------------===//
// Held sets
//===----------------------------------------------------------------------===//

/// One lock held at a program point.
struct HeldLock {
  LockId Lock;
  bool Shared = false;  ///< held in reader mode
  bool Guarded = false; ///< a guard's destructor releases it
  unsigned Count = 1;   ///< times taken (recursive locks)
  /// Where it was taken (the call, the guard's declaration).
  const clang::Stmt *AcquiredAt = nullptr;
  /// The guard object that releases it, if any.
  const clang::VarDecl *Guard = nullptr;
};

/// A set of held locks, ordered by LockId::key().
class LockSet {
public:
  llvm::ArrayRef<HeldLock> locks() const { return Locks; }
  bool empty() const { return Locks.empty(); }
  size_t size() const { return Locks.size(); }
  const HeldLock *find(const LockId &L) const;
  /// Whether some held lock may be \p L (LockId::mayAlias).
  const HeldLock *findAlias(const LockId &L) const;
  bool contains(const LockId &L) const { return find(L) != nullptr; }

  // Building (used by the dataflow; rules only read).
  HeldLock &insert(HeldLock H);
  bool erase(const LockId &L);
  static LockSet intersect(const LockSet &A, const LockSet &B);
  static LockSet unite(const LockSet &A, const LockSet &B);
  bool operator==(const LockSet &O) const;
  bool operator!=(const LockSet &O) const { return !(*this == O); }

private:
  std::vector<HeldLock> Locks;
};

/// The locks held just before a program point: on every path (Must), used
/// for "is this access protected"; on some path (May), used for
/// "might this still be held".
struct HeldState {
  LockSet Must;
  LockSet May;
};

//===----------------------------------------------------------------------===//
// Per-function results
//===----------------------------------------------------------------------===//

/// One thing a function does to a lock.
struct LockEvent {
  LockOp Op;
  LockId Lock;
  /// The call or construct expression; for an implicit guard release, the
  /// guard's declaration statement.
  const clang::Stmt *Site = nullptr;
  /// Where to point a user at: the call, the guard's declaration, or the
  /// end of the guard's scope for its destructor.
  clang::SourceLocation Loc;
  /// The API row, or null for a guard constructor/destructor or a wait.
  const LockAPI *API = nullptr;
  /// Through an RAII guard (constructor, destructor, or a method of the
  /// guard): the guard variable; null for a manual call.
  const clang::VarDecl *Guard = nullptr;
  /// A guard's destructor releasing at scope exit.
  bool Implicit = false;
  /// For Wait: whether the call passes a predicate.
  bool WaitHasPredicate = false;
  /// Locks held just before the event.
  HeldState Before;
};

/// How a function can be left, and what may still be held then.
struct LockExit {
  /// The return statement, or the last statement before falling off the
  /// end; null when unknown.
  const clang::Stmt *Site = nullptr;
  clang::SourceLocation Loc;
  /// Left by an exception (a call that may throw, with no handler here).
  bool Exceptional = false;
  /// Held when leaving this way. On exceptional exits guard-held locks are
  /// already left out: unwinding runs the guards' destructors.
  HeldState Held;
  /// In a walk split by what the function tells its caller (LockWitness):
  /// what it told on the paths to this exit (a WitnessValue); 0 otherwise.
  uint8_t Witness = 0;
};

/// What a function tells its caller on each path, for a walk that keeps
/// the paths apart by it: the value it returns, or one it writes through a
/// pointer parameter (`*hv`, `info->it`). The held sets at its exits,
/// split by that value, say whether the caller holds a lock where it sees
/// the value (LockModel::wrapperRow).
struct LockWitness {
  /// The pointer parameter written through; -1 for the result.
  int Param = -1;
  /// `p->Field` (or `(*p).Field`); "" for `*p` itself.
  std::string Field;
  /// For the result: the local every non-constant return returns, whose
  /// assignments decide it; null when none.
  const clang::VarDecl *Local = nullptr;
};

/// The value a LockWitness has on a path: never written (the caller's
/// value stays), a zero or null constant, another constant, or a value
/// that is no constant.
enum WitnessValue : uint8_t { Unset = 0, Zero = 1, NonZero = 2, Unknown = 3 };

/// A parameter given a constant by a call (`pause_threads(PAUSE_ALL)`,
/// `accept(false)`): the callee's branches on it are decided, and only the
/// paths that constant selects are walked.
struct ParamBinding {
  unsigned Param = 0;
  int64_t Value = 0;
  bool operator==(const ParamBinding &O) const {
    return Param == O.Param && Value == O.Value;
  }
  bool operator<(const ParamBinding &O) const {
    return Param != O.Param ? Param < O.Param : Value < O.Value;
  }
};

/// The lock facts of one function body.
class FunctionLocks {
public:
  const clang::FunctionDecl *function() const { return Function; }
  /// The CFG the dataflow ran on (exception edges, implicit destructors),
  /// for other analyses of the same body; null if Clang could not build it.
  const clang::CFG *cfg() const { return Graph.get(); }
  llvm::ArrayRef<LockEvent> events() const { return Events; }
  llvm::ArrayRef<LockExit> exits() const { return Exits; }
  /// Locks held just before \p S is evaluated, or null when \p S is not in
  /// this function's CFG (e.g. inside a lambda's own body).
  const HeldState *heldAt(const clang::Stmt *S) const;
  /// Whether the body takes or releases any lock at all.
  bool touchesLocks() const { return !Events.empty(); }
  /// The constant the paths were walked with, if any: statements on paths
  /// it rules out have no held state (heldAt is null).
  std::optional<ParamBinding> binding() const { return Binding; }

private:
  friend class LockModel;
  friend class LockDataflow;
  const clang::FunctionDecl *Function = nullptr;
  std::unique_ptr<clang::CFG> Graph;
  std::vector<LockEvent> Events;
  std::vector<LockExit> Exits;
  std::vector<HeldState> States; // interned
  llvm::DenseMap<const clang::Stmt *, unsigned> StateOf;
  std::optional<ParamBinding> Binding;
  /// Set for a walk split by a witness (exits carry its value).
  const LockWitness *Witness = nullptr;
};

/// Lock functions that other TUs define (ProgramFacts::LockFunctions), by
/// USR: what a call of a function this TU only declares does to locks.
struct LockImports {
  llvm::StringMap<LockFunctionFact> ByUsr;
  /// Thread starters and joiners (ThreadModel::threadFunction).
  llvm::StringMap<ThreadFunctionFact> ThreadFunctions;
};

/// The lock model of one TU: the API table with the user's rows, and the
/// per-function results, each built on first use.
class LockModel {
public:
  LockModel(clang::ASTContext &AST, const Config &Cfg,
            const LockImports *Imports = nullptr);
  ~LockModel();

  /// The model shared by every analysis of the TU \p Ctx.
  static LockModel &of(TUContext &Ctx);

  /// The API row \p Call matches, or null: a row of the table, or one
  /// inferred for the callee (see wrapperRow).
  /// For a call of a function with a body here (or a lock function another
  /// TU exports with per-constant rows), the row of the paths its constant
  /// arguments select: `pause_threads(PAUSE_ALL)` takes locks that
  /// `pause_threads(RESUME_ALL)` releases.
  const LockAPI *apiFor(const clang::CallExpr *Call) const;
  /// The row summarising a user function that exists to take or release a
  /// lock for its caller: from Clang's thread-safety attributes
  /// (acquire_capability and friends), or from its body (every normal
  /// exit holds a lock the function took; or it releases a lock it was
  /// called with, and does not take it back). Null for any other function.
  /// With \p B, the row of the paths a constant argument selects.
  const LockAPI *wrapperRow(const clang::FunctionDecl *FD,
                            std::optional<ParamBinding> B = std::nullopt) const;
  /// The constant argument of \p Call that decides branches of its
  /// callee (the first, by position), or none.
  std::optional<ParamBinding> bindingOf(const clang::CallExpr *Call) const;
  /// The constants \p FD's branches compare its parameters with (case
  /// labels, `p == K`, `p & K`, 0 and 1 for a flag), for parameters the
  /// body never changes; at most 16.
  const std::vector<ParamBinding> &testedConstants(const clang::FunctionDecl *FD) const;
  /// The value of \p E in \p FD's body with \p B's parameter bound, when
  /// that decides it.
  std::optional<int64_t> valueUnder(const clang::Expr *E,
                                    const clang::FunctionDecl *FD,
                                    ParamBinding B) const;
  /// wrapperRow's answer for \p FD in the portable terms of
  /// LockFunctionFact, for other TUs; none when \p FD is no lock function
  /// by its body, or names a lock a caller elsewhere cannot.
  std::optional<LockFunctionFact> exportRow(const clang::FunctionDecl *FD) const;
  /// A local pointer that holds only what a try of one lock returned, or
  /// null (`void *held = item_trylock(hv); ... item_trylock_unlock(held);`):
  /// that lock, and one of the calls.
  struct Handle {
    LockId Lock;
    const clang::CallExpr *Call = nullptr;
  };
  std::optional<Handle> handleOf(const clang::VarDecl *VD) const;
  /// The call in \p FD that tells through \p E whether it took its lock:
  /// \p E reads what the call wrote through an out-parameter (`info.it`
  /// after `lru_pull(..., &info)`, `overflow` after `get(..., &overflow)`),
  /// and the call's row is a try with that witness (LockAPI::WitnessArg).
  /// Null when there is none, or more than one callee writes there.
  const clang::CallExpr *witnessCallOf(const clang::Expr *E,
                                       const clang::FunctionDecl *FD) const;
  /// The guard type \p T is (after sugar and templates), or null.
  const GuardAPI *guardFor(clang::QualType T) const;

  /// The lock facts of \p FD's body (null without a body). Built once.
  /// With \p B, only the paths a constant argument selects.
  const FunctionLocks *forFunction(const clang::FunctionDecl *FD,
                                   std::optional<ParamBinding> B = std::nullopt);

  clang::ASTContext &ast() const { return AST; }
  /// lockIdOf, knowing which of the TU's mutexes were made recursive
  /// through a mutex attribute.
  LockId lockIdOf(const clang::Expr *E) const;
  /// Tells this model apart from every other of the run (caches that
  /// outlive it are keyed by this, never by its address).
  const uint64_t Serial;

private:
  clang::ASTContext &AST;
  llvm::StringSet<> RecursiveKeys;
  const LockImports *Imports;
  mutable llvm::DenseMap<const clang::VarDecl *, std::optional<Handle>> Handles;
  /// Whether \p FD's body calls a function of the user's that this TU
  /// only declares and knows nothing of.
  bool callsOpaqueFunction(const clang::FunctionDecl *FD) const;
  /// A try the body makes for its caller: wrapperRow's last resort.
  bool tryRow(const FunctionLocks &FL, LockAPI &Row,
              llvm::function_ref<bool(const LockId &)> Portable) const;
  /// A try whose result or out-parameter tells where it holds the lock,
  /// found by walking the body again split by that value: the row after
  /// tryRow.
  bool witnessRow(const FunctionLocks &FL, LockAPI &Row,
                  llvm::function_ref<bool(const LockId &)> Portable,
                  std::optional<ParamBinding> B) const;
  /// The witnesses \p FD may tell its caller through, in source order.
  std::vector<LockWitness> witnessesOf(const clang::FunctionDecl *FD) const;
  /// Per function: the calls whose try is told through an out-parameter,
  /// with what the caller reads it as (witnessCallOf).
  struct WitnessCall {
    const clang::ValueDecl *Var = nullptr; ///< the caller's variable
    std::string Field;                     ///< its field read, or ""
    bool ViaPointer = false;               ///< `p->f` of a pointer `p`
    const clang::CallExpr *Call = nullptr; ///< null: ambiguous
  };
  mutable llvm::DenseMap<const clang::FunctionDecl *,
                         std::unique_ptr<std::vector<WitnessCall>>>
      WitnessCalls;
  /// Rows made from Imports, by the declaration they were asked for.
  mutable llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<LockAPI>>
      ImportedRows;
  const LockAPI *importedRow(const clang::FunctionDecl *FD,
                             std::optional<ParamBinding> B = std::nullopt) const;
  /// The row a LockFunctionFact describes, for \p FD.
  std::unique_ptr<LockAPI> rowOfFact(const LockFunctionFact &F,
                                     const clang::FunctionDecl *FD) const;
  /// \p Row in the portable terms of LockFunctionFact.
  std::optional<LockFunctionFact> factOfRow(const LockAPI &Row) const;
  std::vector<LockAPI> APIs; // built-in rows, then the user's
  llvm::StringMap<const LockAPI *> ByName;
  /// User rows seen on methods, with the object counted as argument 0.
  mutable llvm::DenseMap<const LockAPI *, std::unique_ptr<LockAPI>>
      UserMethodRows;
  /// wrapperRow's answers (null: not a wrapper, or being computed).
  mutable llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<LockAPI>>
      WrapperRows;
  /// Functions whose dataflow is running (forFunction is re-entered through
  /// wrapperRow).
  llvm::DenseSet<const clang::FunctionDecl *> Computing;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionLocks>>
      Functions;
  /// Per constant argument: the walks and rows of the paths it selects.
  std::map<std::pair<const clang::FunctionDecl *, ParamBinding>,
           std::unique_ptr<FunctionLocks>>
      Specialized;
  mutable std::map<std::pair<const clang::FunctionDecl *, ParamBinding>,
                   std::unique_ptr<LockAPI>>
      SpecializedRows;
  mutable llvm::DenseMap<const clang::FunctionDecl *,
                         std::unique_ptr<std::vector<ParamBinding>>>
      Tested;
  /// Rows made from another TU's per-constant rows.
  mutable std::map<std::pair<const clang::FunctionDecl *, ParamBinding>,
                   std::unique_ptr<LockAPI>>
      ImportedSpecialized;
};

/// A function's name as the tables spell it: qualified, inline and
/// anonymous namespaces left out, no template arguments
/// ("std::unique_lock::unlock", "std::condition_variable_any::wait").
std::string tableName(const clang::NamedDecl *D);

/// Every function body in the user's code (not system headers), lambda
/// bodies and template instantiations included, in source order.
std::vector<const clang::FunctionDecl *> userFunctionBodies(TUContext &Ctx);

/// A TU analysis that prints each function's lock events and exits when
/// SNAG_DUMP contains "locks" (for the model's own tests).
void dumpLockModel(TUContext &Ctx);

} // namespace snag

#endif
