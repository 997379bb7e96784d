//===- FactsMerge.cpp - One copy of a header function's facts across TUs --===//
#include "check/FactsMerge.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/xxhash.h"

#include <numeric>

namespace snag {

namespace {

bool definesMain(const ProgramFacts &P) {
  return llvm::any_of(P.Functions,
                      [](const FunctionFacts &F) { return F.Name == "main"; });
}

/// Two process-fact copies from two TUs, their sites compared by file name.
class SameProcessFacts {
public:
  SameProcessFacts(const TUFacts &A, const TUFacts &B) : A(A), B(B) {}

  bool operator()(const ProcessFunctionFacts &X,
                  const ProcessFunctionFacts &Y) const {
    if (X.Usr != Y.Usr || X.Name != Y.Name ||
        X.LeavesRunning != Y.LeavesRunning || !site(X.RunningAt, Y.RunningAt) ||
        X.Calls.size() != Y.Calls.size() || X.Forks.size() != Y.Forks.size())
      return false;
    for (size_t I = 0; I < X.Calls.size(); ++I) {
      const ProcessCallFact &C = X.Calls[I], &D = Y.Calls[I];
      if (C.Callee != D.Callee || C.Name != D.Name || C.After != D.After ||
          C.Running != D.Running || !site(C.At, D.At))
        return false;
    }
    for (size_t I = 0; I < X.Forks.size(); ++I) {
      const ForkFact &K = X.Forks[I], &L = Y.Forks[I];
      if (K.After != L.After || K.Reported != L.Reported || !site(K.At, L.At))
        return false;
    }
    return true;
  }

private:
  static llvm::StringRef file(const TUFacts &U, uint32_t F) {
    return F < U.Program.Files.size() ? llvm::StringRef(U.Program.Files[F])
                                      : llvm::StringRef();
  }
  bool site(const FactSite &X, const FactSite &Y) const {
    return X.Line == Y.Line && X.Column == Y.Column &&
           file(A, X.File) == file(B, Y.File);
  }
  const TUFacts &A, &B;
};

/// \p Copy, a process-fact copy of \p From, in the terms of \p To's file
/// table (which names every file the copy does: \p To held an equal one).
ProcessFunctionFacts rehome(const ProcessFunctionFacts &Copy,
                            const TUFacts &From, TUFacts &To) {
  auto Map = [&](FactSite S) {
    if (S.File < From.Program.Files.size()) {
      const std::string &Name = From.Program.Files[S.File];
      auto &Files = To.Program.Files;
      auto It = llvm::find(Files, Name);
      S.File = It - Files.begin();
      if (It == Files.end())
        Files.push_back(Name);
    }
    return S;
  };
  ProcessFunctionFacts Out = Copy;
  Out.RunningAt = Map(Out.RunningAt);
  for (ProcessCallFact &C : Out.Calls)
    C.At = Map(C.At);
  for (ForkFact &K : Out.Forks)
    K.At = Map(K.At);
  return Out;
}

uint64_t symbolHash(const FocusSymbol &S) {
  std::string Text = S.File + '\x01' + std::to_string(S.Begin) + '\x01' +
                     std::to_string(S.End);
  for (const std::string &M : S.Mangled)
    Text += '\x02' + M;
  return llvm::xxh3_64bits(Text);
}

template <typename T> void release(std::vector<T> &V) { V.shrink_to_fit(); }

} // namespace

FactsMerger::FactsMerger(const std::vector<Unit> &Units, bool KeepSymbols)
    : Order(Units.size()), Rank(Units.size()), Finished(Units.size()),
      KeptIn(Units.size()), DroppedIn(Units.size()), KeepSymbols(KeepSymbols) {
  std::iota(Order.begin(), Order.end(), 0);
  llvm::stable_sort(
      Order, [&](size_t A, size_t B) { return Units[A].File < Units[B].File; });
  for (size_t R = 0; R < Order.size(); ++R)
    Rank[Order[R]] = R;
}

void FactsMerger::done(size_t I) {
  std::lock_guard<std::mutex> G(Lock);
  Finished[I] = true;
  for (; Next < Order.size() && Finished[Order[Next]]; ++Next)
    merge(Order[Next], /*Again=*/false);
}

void FactsMerger::merge(size_t I, bool Again) {
  UnitOutcome &O = Out[I];
  KeptIn[I] = DroppedIn[I] = 0;
  if (O.Failed)
    return;
  TUFacts &F = O.Facts;
  ProgramFacts &P = F.Program;
  unsigned R = Rank[I];
  // An earlier copy wins; a unit merged again (replace) keeps its own.
  auto EarlierHas = [R](llvm::StringMap<unsigned> &First, llvm::StringRef Usr,
                        bool Register) {
    auto It = First.find(Usr);
    if (It != First.end() && It->second < R)
      return true;
    if (Register && (It == First.end() || R < It->second))
      First[Usr] = R;
    return false;
  };

  bool Main = definesMain(P);
  F.DroppedStarts.clear();
  size_t Before = P.Functions.size();
  llvm::erase_if(P.Functions, [&](const FunctionFacts &Fn) {
    if (Fn.Name == "main" || !EarlierHas(FirstWithoutMain, Fn.Usr, !Main))
      return false;
    for (const StartFact &S : Fn.Starts)
      F.DroppedStarts.push_back({S.Entry, S.Many});
    return true;
  });
  KeptIn[I] += P.Functions.size();
  DroppedIn[I] += Before - P.Functions.size();
  release(P.Functions);

  // Lock-order facts: the copy of the first unit in path order is kept, as
  // LockFactsIndex keeps the first it sees (the link step reads the units in
  // path order); units finish in any order, so a unit merged later may take
  // a copy away from one merged before it.
  F.DroppedLockFunctions.clear();
  Before = P.LockOrder.Functions.size();
  llvm::erase_if(P.LockOrder.Functions, [&](const LockFunctionFacts &Fn) {
    auto [It, New] = FirstLockOrder.try_emplace(Fn.Usr, I);
    if (New || It->second == I)
      return false;
    if (Rank[It->second] > R) {
      dropLockOrderCopy(It->second, Fn.Usr);
      It->second = I;
      return false;
    }
    F.DroppedLockFunctions.push_back(llvm::xxh3_64bits(Fn.Usr));
    return true;
  });
  llvm::sort(F.DroppedLockFunctions);
  KeptIn[I] += P.LockOrder.Functions.size();
  DroppedIn[I] += Before - P.LockOrder.Functions.size();
  release(P.LockOrder.Functions);

  size_t Kept = 0;
  for (size_t K = 0; K < P.Processes.size(); ++K) {
    std::vector<ProcessCopy> &Copies = Processes[P.Processes[K].Usr];
    ProcessCopy *Same = nullptr;
    for (ProcessCopy &C : Copies)
      if (Rank[C.Unit] < R &&
          SameProcessFacts(Out[C.Unit].Facts, F)(
              Out[C.Unit].Facts.Program.Processes[C.Index], P.Processes[K])) {
        Same = &C;
        break;
      }
    if (Same) {
      Same->Droppers.push_back(I);
      ++DroppedIn[I];
      continue;
    }
    if (Kept != K)
      P.Processes[Kept] = std::move(P.Processes[K]);
    Copies.push_back({I, Kept++, {}});
    ++KeptIn[I];
  }
  P.Processes.resize(Kept);
  release(P.Processes);

  if (!KeepSymbols) {
    F.Symbols = {};
    F.IgnoredSources = {};
  } else if (!Again) { // replace() carried over the symbols kept before
    llvm::erase_if(F.Symbols, [&](const FocusSymbol &S) {
      return !SymbolsKept.insert(symbolHash(S)).second;
    });
    release(F.Symbols);
  }
}

void FactsMerger::dropLockOrderCopy(size_t Unit, llvm::StringRef Usr) {
  TUFacts &F = Out[Unit].Facts;
  for (LockFunctionFacts &Fn : F.Program.LockOrder.Functions)
    if (Fn.Usr == Usr) {
      F.DroppedLockFunctions.push_back(llvm::xxh3_64bits(Usr));
      Fn = LockFunctionFacts(); // no USR: finish() removes it
      --KeptIn[Unit];
      ++DroppedIn[Unit];
      return;
    }
}

void FactsMerger::finish() {
  std::lock_guard<std::mutex> G(Lock);
  for (size_t I = 0; I < Order.size(); ++I) {
    if (Out[I].Failed)
      continue;
    TUFacts &F = Out[I].Facts;
    llvm::erase_if(F.Program.LockOrder.Functions,
                   [](const LockFunctionFacts &Fn) { return Fn.Usr.empty(); });
    llvm::sort(F.DroppedLockFunctions);
  }
}

void FactsMerger::replace(size_t I, UnitOutcome &&New) {
  std::lock_guard<std::mutex> G(Lock);
  // Give back what other units dropped as equal to one of I's old copies,
  // and forget where I's copies were.
  for (auto &Entry : Processes) {
    std::vector<ProcessCopy> &Copies = Entry.second;
    std::vector<ProcessCopy> Restored;
    for (const ProcessCopy &C : Copies) {
      if (C.Unit != I)
        continue;
      for (size_t D : C.Droppers) {
        TUFacts &To = Out[D].Facts;
        To.Program.Processes.push_back(
            rehome(Out[I].Facts.Program.Processes[C.Index], Out[I].Facts, To));
        Restored.push_back({D, To.Program.Processes.size() - 1, {}});
        --DroppedIn[D];
        ++KeptIn[D];
      }
    }
    llvm::erase_if(Copies, [&](const ProcessCopy &C) { return C.Unit == I; });
    Copies.insert(Copies.end(), Restored.begin(), Restored.end());
  }
  // Analysing again does not change which functions a unit defines, nor
  // its symbols: the ones kept stay, the ones dropped stay dropped.
  if (KeepSymbols && !New.Failed) {
    New.Facts.Symbols = std::move(Out[I].Facts.Symbols);
    New.Facts.IgnoredSources = std::move(Out[I].Facts.IgnoredSources);
  }
  Out[I] = std::move(New);
  merge(I, /*Again=*/true);
}

FactsMerger::Counts FactsMerger::counts() const {
  Counts C;
  for (size_t I = 0; I < KeptIn.size(); ++I) {
    C.Kept += KeptIn[I];
    C.Dropped += DroppedIn[I];
  }
  return C;
}

} // namespace snag
