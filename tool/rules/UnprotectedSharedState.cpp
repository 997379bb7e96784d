//===- UnprotectedSharedState.cpp - Rule unprotected-shared-state ---------===//
//
// Two accesses of the same location that may run at once (the link step's
// ConcurrencyModel), at least one a write, with no lock in common. Reported
// once per location and function, at the access that lacks the lock:
// inconsistent locking (other accesses hold a lock, this one none) first,
// then no lock anywhere.
//
// On a library class (ThreadRoot::Library) only fields that the class
// guards with its own lock count: a race there is an access without that
// lock against one of the guarded writes, or against another access
// without it.
//
//===----------------------------------------------------------------------===//
#include "check/Analyses.h"
#include "link/Concurrency.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <set>
#include <tuple>

namespace snag {

namespace {

std::string where(const SourcePoint &P) {
  return P.File.substr(P.File.rfind('/') + 1) + ":" + std::to_string(P.Line);
}

} // namespace

void checkUnprotectedSharedState(LinkContext &Ctx) {
  const ConcurrencyModel &M = ConcurrencyModel::of(Ctx);
  const auto &All = M.accesses();
  // Accesses by the first step of their location (the variable).
  std::map<std::string, std::vector<unsigned>> ByRoot;
  for (unsigned I = 0; I < All.size(); ++I)
    ByRoot[All[I].Loc.substr(0, All[I].Loc.find('|'))].push_back(I);

  struct Report {
    unsigned Primary;
    unsigned Other;
    bool Inconsistent;
    std::vector<unsigned> Locked; // accesses of the location under a lock
  };
  if (std::getenv("SNAG_STATS")) {
    size_t Max = 0;
    for (const auto &[K, V] : ByRoot)
      Max = std::max(Max, V.size());
    llvm::errs() << "snag: stats: accesses " << All.size() << " locations "
                 << ByRoot.size() << " largest " << Max << " roots "
                 << M.roots().size() << "\n";
  }
  // One finding per (location name, function), keyed for determinism.
  std::map<std::string, Report> Findings;
  // Pairs are many on big trees: locations and held sets are interned and
  // the answers for two of them cached.
  llvm::StringMap<unsigned> LocIds, HeldIds;
  std::vector<unsigned> LocOf(All.size()), HeldOf(All.size());
  for (unsigned I = 0; I < All.size(); ++I) {
    LocOf[I] = LocIds.try_emplace(All[I].Loc, LocIds.size()).first->second;
    std::string H;
    for (const std::string &K : All[I].Held)
      H += K + "\x01";
    HeldOf[I] = HeldIds.try_emplace(H, HeldIds.size()).first->second;
  }
  // An access fact's first position among the resolved accesses: a key
  // that, unlike its address, is the same from run to run.
  llvm::DenseMap<const AccessFact *, unsigned> FactId;
  for (unsigned I = 0; I < All.size(); ++I)
    FactId.try_emplace(All[I].Access, I);
  llvm::DenseMap<uint64_t, bool> OverlapCache, LockCache;
  auto Pair = [](unsigned A, unsigned B) {
    return (uint64_t(std::min(A, B)) << 32) | std::max(A, B);
  };
  for (const auto &[Root, Idx] : ByRoot) {
    std::vector<unsigned> Locked;
    // How many accesses of the location hold each lock: of two accesses
    // under different locks, the one under the rarer lock is the odd one.
    std::map<std::string, unsigned> LockUses;
    for (unsigned I : Idx)
      if (!All[I].Held.empty()) {
        Locked.push_back(I);
        for (const std::string &K : All[I].Held)
          ++LockUses[K];
      }
    auto Support = [&](const ResolvedAccess &X) {
      unsigned Most = 0;
      for (const std::string &K : X.Held)
        Most = std::max(Most, LockUses[K]);
      return Most;
    };
    // Accesses that differ only in which thread made them form one class;
    // classes are compared once, their threads until a parallel pair shows.
    std::map<std::tuple<unsigned, unsigned, unsigned>, std::vector<unsigned>> ClassMap;
    for (unsigned I : Idx)
      ClassMap[{FactId[All[I].Access], LocOf[I], HeldOf[I]}].push_back(I);
    std::vector<const std::vector<unsigned> *> Classes;
    for (auto &[K, V] : ClassMap) {
      // A library access is best shown from the public method it is in.
      llvm::stable_sort(V, [&](unsigned X, unsigned Y) {
        auto Via = [&](unsigned I) {
          const ThreadRoot &T = M.roots()[All[I].Root];
          return T.Library && T.StartedIn != All[I].Fn;
        };
        return Via(X) < Via(Y);
      });
      Classes.push_back(&V);
    }
    for (unsigned CA = 0; CA < Classes.size(); ++CA)
      for (unsigned CB = CA; CB < Classes.size(); ++CB) {
        unsigned RA = Classes[CA]->front(), RB = Classes[CB]->front();
        const ResolvedAccess &A0 = All[RA], &B0 = All[RB];
        if (!A0.Access->Write && !B0.Access->Write)
          continue;
        if (M.roots()[A0.Root].Library &&
            (!M.guardedByOwnLock(A0) || !M.guardedByOwnLock(B0)))
          continue;
        unsigned LA = LocOf[RA], LB = LocOf[RB];
        if (LA != LB) {
          auto [It, New] = OverlapCache.try_emplace(Pair(LA, LB), false);
          if (New)
            It->second = ConcurrencyModel::mayOverlap(A0.Loc, B0.Loc);
          if (!It->second)
            continue;
        }
        if (!A0.Held.empty() && !B0.Held.empty()) {
          // Whether reads are involved changes the answer for reader locks.
          uint64_t K = Pair(HeldOf[RA], HeldOf[RB]) * 4 +
                       A0.Access->Write * 2 + B0.Access->Write;
          auto [It, New] = LockCache.try_emplace(K, false);
          if (New)
            It->second = ConcurrencyModel::commonLock(A0, B0);
          if (It->second)
            continue;
        }
        unsigned FoundA = ~0u, FoundB = ~0u;
        for (unsigned X : *Classes[CA]) {
          for (unsigned Y : *Classes[CB])
            if (M.mayRunInParallel(All[X], All[Y])) {
              FoundA = X;
              FoundB = Y;
              break;
            }
          if (FoundA != ~0u)
            break;
        }
        if (FoundA == ~0u)
          continue;
        unsigned AIdx = FoundA, BIdx = FoundB;
        // The access without a lock is the one to fix.
        for (auto [P, O] : {std::pair{AIdx, BIdx}, std::pair{BIdx, AIdx}}) {
          const ResolvedAccess &PA = All[P], &OA = All[O];
          if (!PA.Held.empty() && OA.Held.empty())
            continue;
          // One finding per location and pair of functions: the other
          // side's access is a related location of it.
          // The location as the program sees it: `count` in main and `*c`
          // in the thread it was handed to are one race.
          std::string Key = PA.Loc + "\x01" +
                            std::min(PA.Fn->Usr, OA.Fn->Usr) + "\x01" +
                            std::max(PA.Fn->Usr, OA.Fn->Usr);
          auto It = Findings.find(Key);
          // The accesses of this location (not of other fields of the same
          // variable) made under a lock, each place once.
          std::vector<unsigned> LockedHere;
          std::set<std::tuple<uint32_t, uint32_t, uint32_t, const TUFacts *>> Places;
          for (unsigned L : Locked)
            if (ConcurrencyModel::mayOverlap(All[L].Loc, PA.Loc) &&
                Places.insert({All[L].Access->At.File, All[L].Access->At.Line,
                               All[L].Access->At.Column, All[L].Unit})
                    .second)
              LockedHere.push_back(L);
          // Memory reached through a pointer snag cannot trace to where it
          // came from ("u:"), written with no lock anywhere: most such
          // memory is the thread's own (a buffer its caller allocated), so
          // only a lock taken for it elsewhere says it is shared.
          // A lock a caller happened to hold around the call (leveldb's
          // compaction holds `mutex_` while it decodes into its own
          // `Slice`) says nothing of that memory: only one taken by the
          // function that makes the access does.
          bool TakenForIt = llvm::any_of(LockedHere, [&](unsigned L) {
            return !All[L].Access->Held.empty();
          });
          auto Untraced = [](llvm::StringRef K) {
            return K.starts_with("u:") || K.starts_with("t:");
          };
          if (!TakenForIt && Untraced(PA.Loc) && Untraced(OA.Loc))
            continue;
          bool Inconsistent = PA.Held.empty() && !LockedHere.empty();
          if (It == Findings.end()) {
            Findings[Key] = {P, O, Inconsistent, std::move(LockedHere)};
            continue;
          }
          Report &R = It->second;
          const ResolvedAccess &Cur = All[R.Primary];
          // Prefer a write as the primary, then the access under the rarer
          // lock, then the earliest place.
          auto Rank = [&](const ResolvedAccess &X, const ResolvedAccess &Y) {
            bool BothLocked = !X.Held.empty() && !Y.Held.empty();
            return std::make_tuple(!X.Access->Write, BothLocked ? Support(X) : 0u,
                                   X.Access->At.Line, X.Access->At.Column);
          };
          bool Better = Rank(PA, Cur) < Rank(Cur, PA);
          if (Better) {
            R.Primary = P;
            R.Other = O;
          } else if (All[R.Other].Access == Cur.Access && OA.Access != Cur.Access) {
            R.Other = O; // a conflicting access elsewhere says more
          }
          if (Inconsistent && !R.Inconsistent)
            R.Locked = std::move(LockedHere);
          R.Inconsistent |= Inconsistent;
        }
      }
  }

  // One finding per access: where one access races with several others,
  // keep the pair that says most (two writes, then another function).
  std::map<std::pair<unsigned, std::string>, const Report *> ByPrimary;
  for (const auto &[Key, R] : Findings) {
    const ResolvedAccess &P = All[R.Primary];
    auto [It, New] = ByPrimary.try_emplace({FactId[P.Access], P.Loc}, &R);
    if (New)
      continue;
    auto Rank = [&](const Report *X) {
      const ResolvedAccess &O = All[X->Other];
      return std::make_pair(O.Access->Write, O.Fn != All[X->Primary].Fn);
    };
    if (Rank(&R) > Rank(It->second))
      It->second = &R;
  }
  // Each function's accesses, in order: a finding looks for more of its
  // function's accesses without a scan of every access in the program.
  llvm::DenseMap<const FunctionFacts *, std::vector<unsigned>> ByFunction;
  for (unsigned I = 0; I < All.size(); ++I)
    ByFunction[All[I].Fn].push_back(I);
  for (auto &[Key, R] : Findings) {
    if (ByPrimary[{FactId[All[R.Primary].Access], All[R.Primary].Loc}] != &R)
      continue;
    const ResolvedAccess &P = All[R.Primary], &O = All[R.Other];
    Finding F;
    F.RuleId = "unprotected-shared-state";
    F.Where = ConcurrencyModel::point(*P.Unit, P.Access->At);
    const std::string &Name = P.Access->Name;
    bool BothWrite = P.Access->Write && O.Access->Write;
    std::string Effect =
        BothWrite ? "two threads can write `" + Name + "` at once; one update is lost"
                  : "one thread can read `" + Name +
                        "` while another writes it; the read sees a stale or torn value";
    std::string Verb = P.Access->Write ? "written" : "read";
    const ThreadRoot &PR = M.roots()[P.Root];
    const ResolvedAccess *Guarded = nullptr;
    std::string OwnLock;
    if (PR.Library && P.Held.empty() && M.guardedByOwnLock(P, &Guarded, &OwnLock)) {
      // No thread start to show: the class's own lock says it is shared.
      std::string Class = M.className(P.Root);
      F.Message = "`" + Name + "` is " + Verb + " here without a lock" +
                  M.calledFrom(P) + ", but `" + Guarded->Fn->Name + "`" +
                  M.calledFrom(*Guarded) + " writes it under `" + OwnLock + "`: `" + Class +
                  "` locks for its callers, so its methods may run on several "
                  "threads at once, and " + Effect;
    } else if (!P.Access->GuardedBy.empty() && P.Held.empty()) {
      // The code says which lock guards it: no guess about intent here.
      F.Message = "`" + Name + "` is declared GUARDED_BY(" + P.Access->GuardedBy +
                  ") but " + Verb + " here without it: " + Effect;
    } else if (R.Inconsistent && !R.Locked.empty()) {
      const ResolvedAccess &L = All[R.Locked.front()];
      F.Message = "`" + Name + "` is " + Verb + " here with no lock, but elsewhere under `" +
                  L.HeldNames.front() + "`: " + Effect;
    } else if (P.Access->Write && !P.Held.empty() &&
               llvm::all_of(P.Held, [](const std::string &K) {
                 return llvm::StringRef(K).ends_with("#shared");
               })) {
      F.Message = "`" + Name + "` is written here under a reader lock on `" +
                  P.HeldNames.front() +
                  "`, which other threads may hold at the same time: " + Effect;
    } else if (!P.HeldNames.empty() && !O.HeldNames.empty()) {
      // Name the locks that differ, not ones both sides hold.
      auto Differing = [](const ResolvedAccess &X, const ResolvedAccess &Y) {
        for (unsigned I = 0; I < X.Held.size(); ++I)
          if (!llvm::is_contained(Y.Held, X.Held[I]))
            return X.HeldNames[I];
        return X.HeldNames.front();
      };
      F.Message = "`" + Name + "` is " + Verb + " here under `" + Differing(P, O) +
                  "` and elsewhere under `" + Differing(O, P) +
                  "`, with no lock in common: " + Effect;
    } else {
      F.Message = "`" + Name + "` is " + (P.Access->Write ? "written" : "read") +
                  " by threads that may run at once, with no lock: " + Effect;
    }
    SourcePoint OP = ConcurrencyModel::point(*O.Unit, O.Access->At);
    F.Related.push_back({OP, std::string("conflicting ") +
                                 (O.Access->Write ? "write" : "read") + " of `" +
                                 O.Access->Name + "` in `" + O.Fn->Name + "`" +
                                 M.calledFrom(O)});
    // Other unprotected accesses of the location in the same function that
    // race with the same access (not ones after a join).
    for (unsigned I : ByFunction[P.Fn]) {
      const ResolvedAccess &X = All[I];
      if (X.Access != P.Access && X.Access != O.Access &&
          X.Loc == P.Loc && X.Held.empty() &&
          X.Access->At.Line != P.Access->At.Line &&
          M.mayRunInParallel(X, O)) {
        F.Related.push_back({ConcurrencyModel::point(*X.Unit, X.Access->At),
                             std::string("also ") + (X.Access->Write ? "written" : "read") +
                                 " here with no lock"});
        break;
      }
    }
    if (Guarded && Guarded != &O)
      F.Related.push_back({ConcurrencyModel::point(*Guarded->Unit, Guarded->Access->At),
                           "written under `" + OwnLock + "` in `" +
                               Guarded->Fn->Name + "`" + M.calledFrom(*Guarded)});
    for (unsigned Root : {P.Root, O.Root})
      if (!M.roots()[Root].IsMain && M.roots()[Root].Start) {
        const ThreadRoot &T = M.roots()[Root];
        SourcePoint SP = ConcurrencyModel::point(*T.Unit, T.Start->At);
        bool Dup = false;
        for (const RelatedLocation &RL : F.Related)
          Dup |= RL.Where.File == SP.File && RL.Where.Line == SP.Line &&
                 RL.Where.Column == SP.Column;
        if (!Dup)
          F.Related.push_back({SP, M.startNote(Root)});
      }
    if (R.Inconsistent && !PR.Library)
      for (unsigned I : R.Locked) {
        const ResolvedAccess &L = All[I];
        SourcePoint LP = ConcurrencyModel::point(*L.Unit, L.Access->At);
        F.Related.push_back({LP, std::string(L.Access->Write ? "written" : "read") +
                                     " under `" + L.HeldNames.front() + "` at " +
                                     where(LP)});
        if (F.Related.size() > 6)
          break;
      }
    F.FingerprintKey = P.Fn->Name + ":" + Name;
    Ctx.report(std::move(F));
  }
}

} // namespace snag
