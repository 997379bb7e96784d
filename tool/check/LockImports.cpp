//===- LockImports.cpp - Lock functions one TU defines and others call ----===//
#include "check/LockImports.h"
#include "check/FactsMerge.h"
#include "model/Locks.h"
#include "model/Threads.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Support/raw_ostream.h"

#include <numeric>

namespace snag {

/// A wrapper of an imported wrapper is learned one round later; chains of
/// wrappers across more files than this are not followed.
constexpr unsigned MaxRounds = 4;

/// What a caller needs to know of \p F, as one string.
static std::string describe(const LockFunctionFact &F) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << F.Usr << '\x01' << F.Op << '\x01' << F.Success;
  if (F.Param >= 0)
    OS << '\x01' << F.Param << '=' << F.Value;
  if (F.Witness >= 0)
    OS << '\x01' << F.Witness << '.' << F.WitnessField;
  for (const LockRefFact &L : F.Locks)
    OS << '\x02' << L.Key << '\x03' << L.Base << '\x03' << L.Name << '\x03'
       << L.Recursive;
  for (const LockFunctionFact &V : F.Variants)
    OS << '\x04' << describe(V);
  return S;
}

unsigned resolveLockImports(const std::vector<Unit> &Units,
                            std::vector<UnitOutcome> &Outcomes,
                            ConfigFinder &Configs, DriverOptions Opts) {
  // The same units in any order learn the same: where several define one
  // function (an inline function of a header), the first by path wins.
  std::vector<size_t> ByPath(Units.size());
  std::iota(ByPath.begin(), ByPath.end(), 0);
  llvm::stable_sort(ByPath, [&](size_t A, size_t B) {
    return Units[A].File < Units[B].File;
  });
  std::vector<std::string> Told(Units.size()); // what each unit was told
  unsigned Analyses = 0;
  for (unsigned Round = 0; Round < MaxRounds; ++Round) {
    LockImports Table;
    for (size_t I : ByPath)
      if (!Outcomes[I].Failed)
      {
        for (const LockFunctionFact &F : Outcomes[I].Facts.Program.LockFunctions)
          Table.ByUsr.try_emplace(F.Usr, F);
        for (const ThreadFunctionFact &F : Outcomes[I].Facts.Program.ThreadFunctions) {
          auto [It, New] = Table.ThreadFunctions.try_emplace(F.Usr, F);
          // Overrides in several TUs of one virtual scheduler.
          if (!New && It->second.Entry >= 0 && F.Entry >= 0)
            mergeOverride(It->second, F);
        }
      }
    std::vector<Unit> Again;
    std::vector<size_t> Index;
    Opts.ImportKeys.clear();
    for (size_t I = 0; I < Units.size(); ++I) {
      if (Outcomes[I].Failed)
        continue;
      std::string Tell;
      for (const std::string &Usr : Outcomes[I].Facts.Program.Imports)
      {
        if (auto It = Table.ByUsr.find(Usr); It != Table.ByUsr.end())
          Tell += describe(It->second) + '\n';
        if (auto It = Table.ThreadFunctions.find(Usr);
            It != Table.ThreadFunctions.end())
          Tell += llvm::formatv("{0}\x01threads\x01{1}\x01{2}\x01{3}\x01{4}"
                                "\x01{5}\x01{6}\n",
                                Usr, It->second.Entry, It->second.Joins,
                                It->second.Family, It->second.ReturnsHandle,
                                It->second.Queue, It->second.Many)
                      .str();
      }
      if (Tell == Told[I])
        continue;
      Told[I] = Tell;
      Again.push_back(Units[I]);
      Index.push_back(I);
      Opts.ImportKeys.push_back(
          "imports:" + llvm::utohexstr(llvm::xxh3_64bits(Tell)));
    }
    if (Again.empty())
      break;
    Opts.Imports = &Table;
    FactsMerger *Merger = Opts.Merger;
    Opts.Merger = nullptr;
    std::vector<UnitOutcome> Redone = analyseUnits(Again, Configs, Opts);
    Opts.Merger = Merger;
    Analyses += Again.size();
    // By path: the merger gives back what later units dropped.
    std::vector<size_t> ByPathAgain(Again.size());
    std::iota(ByPathAgain.begin(), ByPathAgain.end(), 0);
    llvm::stable_sort(ByPathAgain, [&](size_t A, size_t B) {
      return Units[Index[A]].File < Units[Index[B]].File;
    });
    for (size_t K : ByPathAgain) {
      if (Merger)
        Merger->replace(Index[K], std::move(Redone[K]));
      else
        Outcomes[Index[K]] = std::move(Redone[K]);
    }
  }
  return Analyses;
}

} // namespace snag
