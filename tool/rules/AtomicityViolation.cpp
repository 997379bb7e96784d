//===- AtomicityViolation.cpp - Rule atomicity-violation ------------------===//
//
// A read of a shared location in one critical section and a write of a
// value computed from it in a later, separate critical section of the same
// lock (the extractor's SplitUpdateFact), in code that may run on two
// threads at once: every access is locked, and still an update is lost.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "link/Concurrency.h"

#include "llvm/ADT/StringMap.h"

#include <set>

namespace snag {

void checkAtomicityViolation(LinkContext &Ctx) {
  const ConcurrencyModel &M = ConcurrencyModel::of(Ctx);
  const auto &All = M.accesses();
  std::set<std::string> Done;
  // Writes by the first step of their location: only those may overlap.
  llvm::StringMap<std::vector<unsigned>> WritesByRoot;
  for (unsigned I = 0; I < All.size(); ++I)
    if (All[I].Access->Write)
      WritesByRoot[llvm::StringRef(All[I].Loc).split('|').first].push_back(I);
  for (const ResolvedAccess &W : All) {
    // Library roots (no thread of the program) are for the race rule only.
    if (!W.Access->Write || M.roots()[W.Root].Library)
      continue;
    for (const SplitUpdateFact &S : W.Fn->SplitUpdates) {
      if (S.Write.Line != W.Access->At.Line || S.Write.Column != W.Access->At.Column ||
          S.Write.File != W.Access->At.File)
        continue;
      std::string Key = W.Fn->Usr + "\x01" + S.Loc + "\x01" + std::to_string(S.Read.Line);
      if (Done.count(Key))
        continue;
      // Another write of the location that may run at the same time.
      const ResolvedAccess *Other = nullptr;
      for (unsigned I : WritesByRoot.lookup(llvm::StringRef(W.Loc).split('|').first)) {
        const ResolvedAccess &X = All[I];
        if (ConcurrencyModel::mayOverlap(W.Loc, X.Loc) && M.mayRunInParallel(W, X)) {
          Other = &X;
          break;
        }
      }
      if (!Other)
        continue;
      Done.insert(Key);
      std::string Lock = S.Lock < W.Unit->Program.Locks.size()
                             ? W.Unit->Program.Locks[S.Lock].Name
                             : "the lock";
      Finding F;
      F.RuleId = "atomicity-violation";
      F.Where = ConcurrencyModel::point(*W.Unit, S.Read);
      F.Message = "`" + S.Name + "` is read under `" + Lock +
                  "` here and written back from that value in a later critical "
                  "section: `" + Lock + "` is released in between, so another "
                  "thread can update `" + S.Name + "` meanwhile and that update is lost";
      F.Related.push_back({ConcurrencyModel::point(*W.Unit, S.Write),
                           "written back here, after `" + Lock +
                               "` was released and taken again"});
      if (Other->Access != W.Access || Other->Root != W.Root)
        F.Related.push_back({ConcurrencyModel::point(*Other->Unit, Other->Access->At),
                             "another thread may write `" + Other->Access->Name +
                                 "` here in between"});
      for (unsigned Root : {W.Root, Other->Root})
        if (!M.roots()[Root].IsMain) {
          const ThreadRoot &T = M.roots()[Root];
          F.Related.push_back({ConcurrencyModel::point(*T.Unit, T.Start->At),
                               M.startNote(Root)});
          if (W.Root == Other->Root)
            break;
        }
      F.FingerprintKey = W.Fn->Name + ":" + S.Name;
      Ctx.report(std::move(F));
    }
  }
}

} // namespace snag
