//===- ProgramFacts.h - What one TU tells the link step -------------------===//
//
// Per-function facts extracted from one translation unit: thread starts,
// calls and accesses of possibly shared locations, each with the locks held
// there (on every path) and the threads this function started that may
// still be running there. The link step reads nothing else, so these are
// plain data that round-trip through JSON (the per-TU cache files); keep
// them compact: sites are [file index, line, column], held locks are
// indices into the TU's lock table.
//
// Location keys name what is accessed, relative to the function:
//   "g:<USR>"   a global, static member or function-local static
//   "l:<USR>"   a local that escapes to a thread (by-reference capture,
//               std::ref, address passed to a thread)
//   "p:<N>"     what parameter N refers or points to; "p:this" the object
//               of a method (in a lambda's body: the object of the method
//               the lambda is written in, which it captured)
//   "o:<USR>"   a local object of the caller, not handed to a thread by it,
//               as the object of a method call or construction (bindings
//               only: the link step names it per thread, "o:<USR>@<root>")
// followed by a path of "|"-separated steps (USRs may hold '.' and '['):
// "|.field", "|[3]" (a constant index), "|[*]" (any element), "|[#]" (the element or block
// each instance of a thread was handed for itself), "|*" (what a
// global pointer points to). The link step substitutes "p:" roots with what the caller or
// the thread start passed.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_PROGRAMFACTS_H
#define SNAG_MODEL_PROGRAMFACTS_H

#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snag {

/// [file index into ProgramFacts::Files, line, column].
struct FactSite {
  uint32_t File = 0, Line = 0, Column = 0;
};

/// A lock as the TU's lock table names it: LockId::key() and its spelling.
struct LockFact {
  std::string Key;
  std::string Name;
};

/// What a thread start or a call passes for a parameter: the location key
/// of the object a reference/pointer parameter will reach (in the caller's
/// terms), "" when snag cannot tell, "-" when the callee gets its own copy.
using Binding = std::string;

/// One read or write of a possibly shared location.
struct AccessFact {
  std::string Loc;  // location key (see above)
  std::string Name; // as written: "database_value", "results", "a.balance"
  /// A field declared GUARDED_BY a lock: that lock as written.
  std::string GuardedBy;
  bool Write = false;
  FactSite At;
  std::vector<uint32_t> Held;    // locks held on every path (TU lock table)
  std::vector<uint32_t> Running; // this function's starts that may run here
  /// In main (FunctionFacts::Ordered): its calls (indices into Calls) that
  /// may be the last call before this access; none: only entry precedes it.
  std::vector<uint32_t> Prev;
  /// Synchronisation objects (location keys, or "s:" keys of a kind of
  /// object) this function releases on every path after the access and on
  /// none before it: whoever acquires one of them afterwards runs after it.
  std::vector<std::string> ReleasedAfter;
  /// Synchronisation objects acquired on every path before the access (a
  /// wait for a release elsewhere): it runs after that release.
  std::vector<std::string> AcquiredBefore;
  /// Made after the function unlocked a lock of its own object that it
  /// held, and before it takes it again: the code chose to run this
  /// without the lock (leveldb's writer that logs with `mutex_` released).
  bool UnlockWindow = false;
};

/// A thread start.
struct StartFact {
  std::string Entry;     // USR of the function the thread runs; "" unknown
  std::string EntryName; // as the user reads it; "lambda" for a lambda
  FactSite At;
  bool Many = false;     // in a loop, or a starter that runs several
  /// What the entry's parameters receive, by parameter index.
  std::vector<Binding> Args;
  /// What `this` is in the entry: the object a method pointer is started
  /// on, or the object of the method a lambda is written in (`[this]`,
  /// `[=]`, `[self = this]`); "" when none or unknown.
  Binding Object;
  /// Starts of this function that may still run when this one starts.
  std::vector<uint32_t> Running;
  /// Not joined on some path out of the function: it may outlive it.
  bool Escapes = false;
  /// Where the handle is kept, when a join elsewhere can name it: the
  /// location key of a global ("g:<USR>|.field"), else "".
  std::string Handle;
  /// The field that holds the handle ("f:<field USR>"): a loop of joins
  /// over that field (pigz's `join_all`) joins it.
  std::string Family;
  /// A job handed to a scheduler whose queue one thread drains
  /// (ThreadFunctionFact::Queue): the queue's key. Jobs of one queue run
  /// one at a time, so they never run in parallel with each other.
  std::string Queue;
};

/// A call of another function (not a lock or thread API).
struct CallFact {
  std::string Callee; // USR
  FactSite At;
  std::vector<Binding> Args; // by parameter index
  Binding Object;            // what `this` is in the callee, for a method
  std::vector<uint32_t> Held;
  std::vector<uint32_t> Running;
  /// In main (FunctionFacts::Ordered): calls that may be the last before it.
  std::vector<uint32_t> Prev;
  /// The threads this call joins: StartFact::Handle and StartFact::Family
  /// keys. A join of a thread API has no Callee.
  std::vector<std::string> Joins;
};

/// A read of a location in one critical section and a dependent write of
/// it in a later, separate critical section of the same lock.
struct SplitUpdateFact {
  std::string Loc;
  std::string Name;
  uint32_t Lock = 0;
  FactSite Read, Write;
};

struct FunctionFacts {
  std::string Usr;
  std::string Name;
  FactSite At;
  std::vector<StartFact> Starts;
  std::vector<CallFact> Calls;
  std::vector<AccessFact> Accesses;
  std::vector<SplitUpdateFact> SplitUpdates;
  /// main only: the Prev fields of its calls and accesses are filled (the
  /// order of its calls on the CFG, loops included); without it the link
  /// step falls back on source order.
  bool Ordered = false;
  /// For a method that runs on an object already built (not a constructor,
  /// destructor, assignment, static method or lambda): the USR of its
  /// class, and whether any caller may call it (public).
  std::string Class;
  bool Public = false;
  /// Locks (TU lock table) the function holds by contract from its entry:
  /// a REQUIRES/EXCLUSIVE_LOCKS_REQUIRED attribute, or a call that asserts
  /// the lock is held (`mu_.AssertHeld()`).
  std::vector<uint32_t> Assumed;
  /// Passes a lock of its own object (`&mutex_`) to code the lock model
  /// does not read as a lock operation: a guard class of the user's that
  /// snag cannot see into, a callee that unlocks and relocks it. What it
  /// holds from there on is unknown.
  bool HandsOwnLock = false;
};

/// Lock-order facts (LockFacts.h): what each function does to locks, for
/// lock-order-inversion and double-lock across TUs. Locks here keep their
/// LockId parts, so the link step can map a callee's lock into its caller's
/// terms (a callee's `this->m` is the caller's `obj.m`).
struct LockRefFact {
  std::string Key;    // LockId::Key
  std::string Base;   // LockId::Base ("this", "g:<USR>", "p:<USR>", "")
  std::string Name;   // as the user reads it
  int32_t Param = -1; // for a "p:" key: the parameter's index
  bool Recursive = false;
};

/// A lock held before a take or a call, and where it was taken.
struct HeldLockFact {
  uint32_t Lock = 0; // index into LockOrderFacts::Locks
  FactSite At;
  bool Shared = false;
};

/// A blocking acquisition (try-locks and adopting guards are left out).
struct LockTakeFact {
  uint32_t Lock = 0;
  FactSite At;
  bool Shared = false;
  /// Re-takes a lock the function first released for its caller: callers
  /// do not see it as a new take.
  bool HandBack = false;
  /// In main while main is the only thread (before its first thread start
  /// or after its last join).
  bool Alone = false;
  std::vector<HeldLockFact> Must; // held on every path, same-site partners out
  std::vector<HeldLockFact> May;  // held on some path
  /// (parameter, constant) pairs under which the take is on no path: a
  /// call passing that constant does not take it.
  std::vector<std::pair<uint32_t, int64_t>> Unless;
  /// Takes one element of an array of locks while holding another element
  /// of it, by indices in no fixed order (`forks[(i + 1) % N]` while
  /// holding `forks[i]`): the elements as written, and where the held one
  /// was taken. Empty otherwise.
  std::string ElementHeld, ElementTaken;
  FactSite ElementHeldAt;
};

/// A call of a user function, with what it needs to map the callee's locks.
struct LockCallFact {
  std::string Callee; // USR
  std::string Name;   // the callee as the user reads it
  FactSite At;
  /// The object of a method call as a lock base ("this": the same object;
  /// "?:object": unknown); "" for a call that is not a method call.
  std::string Object;
  /// Per argument: the lock it names (index into Locks), or -1.
  std::vector<int32_t> Args;
  bool Alone = false;
  std::vector<HeldLockFact> Must;
  std::vector<HeldLockFact> May;
  /// The integer constants the call passes, by parameter.
  std::vector<std::pair<uint32_t, int64_t>> Consts;
  /// As for LockTakeFact: constants of the caller's under which the call
  /// is on no path.
  std::vector<std::pair<uint32_t, int64_t>> Unless;
};

struct LockFunctionFacts {
  std::string Usr;
  std::string Name;
  bool IsMain = false;
  std::vector<LockTakeFact> Takes;
  std::vector<LockCallFact> Calls;
};

struct LockOrderFacts {
  std::vector<LockRefFact> Locks;
  std::vector<LockFunctionFacts> Functions;
};

/// Process facts (Processes.h), for fork-with-threads across TUs: where
/// each function forks with a child that goes on without exec, whether it
/// leaves a thread running when it returns, and the order of its calls.
struct ProcessCallFact {
  std::string Callee; // USR
  std::string Name;   // the callee as the user reads it
  FactSite At;
  /// Calls of the same function (indices) this one is reachable from.
  std::vector<uint32_t> After;
  /// A thread this TU sees (started in the function, or left running by a
  /// callee defined in this TU) may still run at this call.
  bool Running = false;
};

/// A fork whose child does not go straight to exec*/_exit.
struct ForkFact {
  FactSite At;
  /// Calls of the same function (indices) the fork is reachable from.
  std::vector<uint32_t> After;
  /// The per-TU rule already reported this fork (a thread of this TU).
  bool Reported = false;
};

struct ProcessFunctionFacts {
  std::string Usr;
  std::string Name;
  /// Set when the function may return while a thread it started (itself or
  /// through callees in this TU) still runs: the start or call that does.
  bool LeavesRunning = false;
  FactSite RunningAt;
  std::vector<ProcessCallFact> Calls;
  std::vector<ForkFact> Forks;
};

/// A function defined in this TU that exists to take or release a lock for
/// its caller (LockModel::wrapperRow), so that TUs which only declare it
/// know what a call does. Its locks are in terms any caller can map: a
/// global as itself, parameter N as "p:#N", a field of what parameter N
/// points to with Base "p:#N", a field of the object with Base "this".
struct LockFunctionFact {
  std::string Usr;
  /// "acquire", "acquire-shared", "try", "try-shared" or "release"; empty
  /// when the function is a lock function only for some constant
  /// arguments (Variants).
  std::string Op;
  /// For a try: which result means taken ("true", "zero", "nonnull").
  std::string Success;
  /// For a try that tells through an out-parameter (LockAPI::WitnessArg):
  /// that parameter's index and the field of its pointee, "" for the
  /// pointee; Success then reads the value written there.
  int32_t Witness = -1;
  std::string WitnessField;
  std::vector<LockRefFact> Locks;
  /// For a variant: the parameter and the constant a call gives it.
  int32_t Param = -1;
  int64_t Value = 0;
  /// What a call with a constant argument does where that differs from
  /// the row above (`pause_threads(PAUSE_ALL)` takes what
  /// `pause_threads(RESUME_ALL)` releases); an empty Op: nothing.
  std::vector<LockFunctionFact> Variants;
};

/// A function of the user's that starts a thread for its caller, or joins
/// one (ThreadModel::threadFunction).
struct ThreadFunctionFact {
  std::string Usr;
  /// A starter: the parameter of the thread's entry (the next one is what
  /// the thread is given); -1 for none.
  int32_t Entry = -1;
  /// A joiner: the parameter that holds the handle it joins; -1 for none.
  int32_t Joins = -1;
  /// The field a starter keeps the handle in, or a joiner joins through
  /// ("f:<field USR>"); "" when it is not a field.
  std::string Family;
  /// A starter that returns the block holding the handle (pigz's `launch`).
  bool ReturnsHandle = false;
  /// A scheduler (leveldb's `Env::Schedule(fn, arg)`): it queues the
  /// function in this field or global ("f:<field USR>", "g:<USR>"), and
  /// threads started elsewhere take it out and call it.
  std::string Queue;
  /// A scheduler whose queue several threads drain (a pool): its jobs may
  /// run at once. Otherwise one thread started once runs them in turn.
  bool Many = false;
};

struct ProgramFacts {
  std::vector<std::string> Files;
  std::vector<LockFact> Locks;
  std::vector<FunctionFacts> Functions;
  LockOrderFacts LockOrder;
  std::vector<ProcessFunctionFacts> Processes;
  /// The TU's lock functions, for the TUs that call them.
  std::vector<LockFunctionFact> LockFunctions;
  /// The TU's thread starters and joiners, for the TUs that call them.
  std::vector<ThreadFunctionFact> ThreadFunctions;
  /// USRs of the user functions this TU calls without defining them
  /// (sorted): a lock function among them changes what the TU sees.
  std::vector<std::string> Imports;
};

llvm::json::Value toJSON(const ProgramFacts &F);
bool fromJSON(const llvm::json::Value &V, ProgramFacts &F, llvm::json::Path P);

} // namespace snag

#endif
