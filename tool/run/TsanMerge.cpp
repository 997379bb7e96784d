//===- TsanMerge.cpp - ThreadSanitizer's findings merged with the shim's --===//
#include "run/TsanMerge.h"

#include "run/Collect.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <algorithm>

using namespace llvm;

namespace snag {

ShimLockView shimLockView(const std::vector<run::ProcessRecord> &Processes) {
  ShimLockView View;
  for (const run::ProcessRecord &P : Processes) {
    View.Pids.insert(P.Pid);
    for (const run::FindingRecord &F : P.Findings) {
      if (F.Rule != "lock-order-inversion" && F.Rule != "deadlock")
        continue;
      std::set<uint64_t> Locks;
      for (const auto &[Id, Address] : F.Locks)
        Locks.insert(Address);
      View.Cycles[P.Pid].push_back(std::move(Locks));
    }
  }
  return View;
}

static bool samePlace(const Finding &A, const Finding &B) {
  return A.Where.known() && B.Where.known() && A.Where.Line == B.Where.Line &&
         sys::path::filename(A.Where.File) == sys::path::filename(B.Where.File);
}

/// ThreadSanitizer's name for a lock misuse the shim names precisely: one
/// bogus unlock is TSan's invalid-mutex-use and the shim's unlock-not-held.
static bool sameEvent(StringRef Shim, StringRef Tsan) {
  static const std::pair<StringRef, StringRef> Same[] = {
      {"unlock-not-held", "invalid-mutex-use"},
      {"double-lock", "invalid-mutex-use"},
      {"mutex-destroyed-locked", "invalid-mutex-use"},
  };
  return Shim == Tsan || llvm::is_contained(Same, std::make_pair(Shim, Tsan));
}

void dedupFindings(std::vector<Finding> &Findings) {
  std::vector<Finding> Kept;
  for (Finding &F : Findings) {
    bool Dup = llvm::any_of(Kept, [&](const Finding &K) {
      // The shim and ThreadSanitizer name the same problem in their own
      // words; the same event at the same line is one problem (the shim's,
      // which comes first).
      if (K.Origin != F.Origin)
        return (K.Origin == "run" ? sameEvent(K.RuleId, F.RuleId)
                                  : sameEvent(F.RuleId, K.RuleId)) &&
               samePlace(K, F);
      // Within one source, only what is truly the same folds: same rule,
      // same fingerprint, same place (ThreadSanitizer's one report per word
      // of a structure, the same race in ten processes).
      return K.RuleId == F.RuleId && K.fingerprint() == F.fingerprint() &&
             (samePlace(K, F) || (!K.Where.known() && !F.Where.known()));
    });
    if (!Dup)
      Kept.push_back(std::move(F));
  }
  Findings = std::move(Kept);
}

void mergeTsanFindings(std::vector<Finding> &Findings,
                       std::vector<TsanFinding> Tsan, const ShimLockView &Shim,
                       std::vector<std::string> &Notes) {
  // The shim's findings come first so that, for a problem both see, the
  // shim's (with its own lock names and stacks) is the one kept.
  for (TsanFinding &TF : Tsan) {
    if (TF.F.RuleId == "lock-order-inversion" && TF.Readable) {
      unsigned Pid = TF.Report.Pid;
      if (Shim.SawEveryProcess || Shim.Pids.count(Pid)) {
        std::set<uint64_t> Locks(TF.CycleLocks.begin(), TF.CycleLocks.end());
        bool ShimHasIt = false;
        auto It = Shim.Cycles.find(Pid);
        if (It != Shim.Cycles.end())
          for (const auto &C : It->second)
            ShimHasIt |= llvm::all_of(
                Locks, [&](uint64_t A) { return C.count(A) != 0; });
        Notes.push_back(
            "ThreadSanitizer's lock-order cycle at " + TF.Report.Source +
            (ShimHasIt ? " is the shim's own finding; reported once"
                       : " is one the shim's analysis leaves out (a common "
                         "gate lock, or a single-threaded phase); not "
                         "reported"));
        continue;
      }
      // No shim records for this process: ThreadSanitizer alone, and all
      // its text says is which thread took each edge.
      std::set<std::string> Threads(TF.EdgeThreads.begin(),
                                    TF.EdgeThreads.end());
      if (Threads.size() == 1) {
        Notes.push_back("ThreadSanitizer's lock-order cycle at " +
                        TF.Report.Source +
                        " has every edge taken by one thread; not reported");
        continue;
      }
    }
    Findings.push_back(std::move(TF.F));
  }
  dedupFindings(Findings);
}

static void mergeLogs(TsanLogResult &Logs, const std::vector<run::ProcessRecord> &Processes,
                      std::vector<Finding> &Findings, raw_ostream &Diag, bool Verbose,
                      bool ShimSawEveryProcess);

void addTsanFindings(StringRef ReportDir,
                     const std::vector<run::ProcessRecord> &Processes,
                     std::vector<Finding> &Findings, raw_ostream &Diag,
                     bool Verbose, bool ShimSawEveryProcess) {
  TsanLogResult Logs;
  collectTsanLogs(ReportDir, Logs);
  mergeLogs(Logs, Processes, Findings, Diag, Verbose, ShimSawEveryProcess);
}

void addTsanFindings(const std::vector<std::pair<std::string, std::string>> &Texts,
                     const std::vector<run::ProcessRecord> &Processes,
                     std::vector<Finding> &Findings, raw_ostream &Diag,
                     std::vector<std::string> &RuntimeFailures) {
  TsanLogResult Logs;
  collectTsanLogTexts(Texts, Logs);
  RuntimeFailures = Logs.RuntimeFailures;
  mergeLogs(Logs, Processes, Findings, Diag, /*Verbose=*/false, true);
}

/// ThreadSanitizer's mutex ids (M0) replaced by the variables' names, which
/// the shim's record of the same process (its module map) gives.
static void nameMutexes(TsanFinding &TF, const std::vector<run::ProcessRecord> &Processes) {
  const run::ProcessRecord *P = nullptr;
  for (const run::ProcessRecord &Q : Processes)
    if (static_cast<unsigned>(Q.Pid) == TF.Report.Pid && !Q.Modules.empty())
      P = &Q;
  if (!P)
    return;
  for (const auto &[Id, Address] : TF.Mutexes) {
    std::string Name = run::variableName(*P, Address);
    if (Name.empty())
      continue;
    Regex Word("(^|[^A-Za-z0-9_])" + Id + "([^0-9]|$)");
    auto Rename = [&](std::string &Text) {
      for (int Guard = 0; Guard < 16 && Word.match(Text); ++Guard)
        Text = Word.sub("\\1" + Name + "\\2", Text);
    };
    Rename(TF.F.Message);
    for (RelatedLocation &R : TF.F.Related)
      Rename(R.Message);
    for (Stack &S : TF.F.Stacks)
      Rename(S.Title);
  }
}

static void mergeLogs(TsanLogResult &Logs, const std::vector<run::ProcessRecord> &Processes,
                      std::vector<Finding> &Findings, raw_ostream &Diag, bool Verbose,
                      bool ShimSawEveryProcess) {
  for (TsanFinding &TF : Logs.Findings)
    nameMutexes(TF, Processes);
  for (const std::string &W : Logs.Warnings)
    Diag << "snag run: warning: " << W << "\n";
  std::vector<std::string> Notes;
  ShimLockView Shim = shimLockView(Processes);
  Shim.SawEveryProcess = ShimSawEveryProcess;
  mergeTsanFindings(Findings, std::move(Logs.Findings), Shim, Notes);
  if (Verbose)
    for (const std::string &N : Notes)
      Diag << "snag run: note: " << N << "\n";
}

} // namespace snag
