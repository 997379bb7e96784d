//===- LockFacts.h - What functions do to locks, across TUs ---------------===//
//
// Two halves of the lock rules that work across translation units
// (lock-order-inversion, double-lock through callees):
//
//  - per TU, extractLockOrderFacts() records in ProgramFacts::LockOrder each
//    function's blocking lock takes and user calls, with the locks held
//    before them (and where those were taken), what the call passes for
//    locks (the object, lock arguments) and whether it runs in main while
//    main is alone;
//  - at the link step, LockFactsIndex finds functions by USR and composes
//    the locks a function takes through its callees in every TU, mapped
//    into the caller's terms (a callee's `this->m` is the caller's `obj.m`),
//    and says which threads (main, thread entries) reach each function.
//
// Nothing here reads an AST at the link step: only the facts.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_MODEL_LOCKFACTS_H
#define SNAG_MODEL_LOCKFACTS_H

#include "check/Analyses.h"
#include "model/ProgramFacts.h"

#include "llvm/ADT/StringMap.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace snag {

/// Per TU: fills Ctx.Facts.Program.LockOrder.
void extractLockOrderFacts(TUContext &Ctx);

/// Per TU: fills Ctx.Facts.Program.LockFunctions (the TU's functions that
/// take or release a lock for their callers) and Imports (the user
/// functions it calls but does not define). The driver gives the lock
/// functions to the TUs that import them (TUContext::Imports).
void extractLockFunctions(TUContext &Ctx);

/// A function's lock facts and the TU they come from.
struct LockFn {
  const TUFacts *Unit = nullptr;
  unsigned UnitIndex = 0;
  const LockFunctionFacts *Fn = nullptr;
};

/// A site in some TU.
struct LinkSite {
  const TUFacts *Unit = nullptr;
  unsigned UnitIndex = 0;
  FactSite At;
  SourcePoint point() const;
  /// Program order for choosing a primary location: TU, then file, line.
  bool operator<(const LinkSite &O) const;
};

/// A lock in one function's terms.
struct LinkLock {
  std::string Key, Base, Name;
  int Param = -1;
  bool Recursive = false;
  std::string key() const { return Base.empty() ? Key : Key + "@" + Base; }
};

/// One lock a function takes, blocking, itself or through callees.
struct LinkTaken {
  LinkLock Lock;
  bool Shared = false;
  LinkSite At;
  /// Calls from the summarised function down to the taker, outermost
  /// first, each with the callee's name; empty when it takes it itself.
  std::vector<std::pair<LinkSite, std::string>> Chain;
  /// USRs of the functions whose bodies lead to the take, the summarised
  /// one first.
  std::vector<std::string> Bodies;
};

class LockFactsIndex {
public:
  explicit LockFactsIndex(llvm::ArrayRef<const TUFacts *> Units);

  llvm::ArrayRef<LockFn> functions() const { return Functions; }
  const LockFn *function(llvm::StringRef Usr) const;
  LinkLock lock(const LockFn &F, uint32_t Index) const;
  LinkSite site(const LockFn &F, const FactSite &At) const {
    return {F.Unit, F.UnitIndex, At};
  }
  /// Whether a body of \p Usr is in TU number \p UnitIndex.
  bool definedIn(llvm::StringRef Usr, unsigned UnitIndex) const;

  /// Locks \p Usr takes, up to \p Depth calls deep, across TUs; called
  /// through \p Via, only on the paths its constant arguments select.
  const std::vector<LinkTaken> &takenBy(llvm::StringRef Usr,
                                        unsigned Depth = 4,
                                        const LockCallFact *Via = nullptr);
  /// \p CalleeLock, named in the callee of \p Call, in \p Caller's terms.
  std::optional<LinkLock> inCaller(const LinkLock &CalleeLock,
                                   const LockFn &Caller,
                                   const LockCallFact &Call) const;

  /// Threads that reach \p Usr: "main" and entry USRs; empty when none is
  /// known to.
  const std::set<std::string> &rootsOf(llvm::StringRef Usr) const;
  /// Whether thread entry \p Root may run in more than one thread at once.
  bool manyInstances(const std::string &Root) const {
    return ManyRoots.count(Root);
  }
  /// Whether every call of \p Usr runs while main is the only thread.
  bool startupOnly(llvm::StringRef Usr, unsigned Depth = 0);
  /// Program-wide locks (globals, fields of global objects, by key()) that
  /// are held around every call of \p Usr, by its callers or theirs.
  const std::set<std::string> &callerGates(llvm::StringRef Usr,
                                           unsigned Depth = 0);

private:
  llvm::ArrayRef<const TUFacts *> Units;
  std::vector<LockFn> Functions;
  llvm::StringMap<unsigned> ByUsr;
  std::vector<std::set<std::string>> DefinedIn; // by TU
  std::map<std::string, std::vector<LinkTaken>> Taken;
  std::set<std::string> InProgress;
  std::map<std::string, std::set<std::string>> Roots;
  std::set<std::string> ManyRoots;
  std::map<std::string, std::vector<std::pair<const LockFn *,
                                              const LockCallFact *>>>
      Callers;
  std::map<std::string, bool> StartupOnly;
  std::map<std::string, std::set<std::string>> CallerGates;
  std::set<std::string> Entries; // thread entries

  void reach(const std::string &Entry, const std::string &Root);
};

} // namespace snag

#endif
