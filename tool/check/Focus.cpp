//===- Focus.cpp - A sanitizer ignore list that keeps only race suspects --===//
#include "check/Focus.h"
#include "link/Concurrency.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>
#include <set>

using namespace llvm;

namespace snag {

namespace {

/// Race rules, whatever confidence a configuration gives them.
constexpr StringRef RaceRules[] = {"unprotected-shared-state", "atomicity-violation"};

using Line = std::pair<std::string, unsigned>; // file, line

} // namespace

bool isRaceSuspectRule(StringRef RuleId) { return is_contained(RaceRules, RuleId); }

void writeFocusList(raw_ostream &OS, LinkContext &Link, ArrayRef<Finding> Findings) {
  // Where the suspects are: each race finding's place, and its related
  // places that are accesses (not thread starts).
  std::set<Line> Primary, Named;
  unsigned SuspectCount = 0;
  for (const Finding &F : Findings) {
    if (!isRaceSuspectRule(F.RuleId))
      continue;
    ++SuspectCount;
    Primary.insert({F.Where.File, F.Where.Line});
    Named.insert({F.Where.File, F.Where.Line});
    for (const RelatedLocation &R : F.Related)
      Named.insert({R.Where.File, R.Where.Line});
  }

  // The program-wide locations accessed there; then every access of any of
  // them, wherever it is: an access that races with a suspect one may be in
  // a function no finding names.
  const ConcurrencyModel &M = ConcurrencyModel::of(Link);
  std::set<Line> Keep(Primary);
  std::set<std::string> SuspectLocs;
  if (SuspectCount) {
    for (const ResolvedAccess &A : M.accesses()) {
      SourcePoint P = ConcurrencyModel::point(*A.Unit, A.Access->At);
      if (Named.count({P.File, P.Line}))
        SuspectLocs.insert(A.Loc);
    }
    for (const ResolvedAccess &A : M.accesses()) {
      bool Shares = SuspectLocs.count(A.Loc) ||
                    any_of(SuspectLocs, [&](const std::string &L) {
                      return ConcurrencyModel::mayOverlap(L, A.Loc);
                    });
      if (Shares) {
        SourcePoint P = ConcurrencyModel::point(*A.Unit, A.Access->At);
        Keep.insert({P.File, P.Line});
      }
    }
  }

  // A function stays instrumented when one of its lines holds a kept
  // access; a name kept anywhere (an inline function defined in several
  // TUs, a static one in two files) is never ignored.
  std::map<std::string, std::string> Kept; // mangled name -> where
  std::set<std::string> Ignored;
  std::set<std::string> Sources;
  for (const TUFacts *U : Link.Units) {
    for (const std::string &S : U->IgnoredSources)
      Sources.insert(S);
    for (const FocusSymbol &S : U->Symbols) {
      auto From = Keep.lower_bound({S.File, S.Begin});
      bool Holds = From != Keep.end() && From->first == S.File &&
                   From->second <= S.End;
      for (const std::string &Name : S.Mangled) {
        if (Holds)
          Kept.try_emplace(Name, formatv("{0}:{1}", S.File, S.Begin).str());
        else
          Ignored.insert(Name);
      }
    }
  }
  for (const auto &[Name, Where] : Kept)
    Ignored.erase(Name);
  // A folder pattern covers the folders and files below it.
  std::vector<std::string> Src;
  for (const std::string &S : Sources)
    if (none_of(Src, [&](const std::string &Outer) {
          return StringRef(Outer).ends_with("/*") &&
                 StringRef(S).starts_with(StringRef(Outer).drop_back());
        }))
      Src.push_back(S);

  OS << "# Written by snag check --write-focus: ThreadSanitizer instruments only\n"
        "# the functions that access what snag check suspects of a data race.\n"
        "# Build with -fsanitize=thread -fsanitize-ignorelist=<this file> (and,\n"
        "# for snag run --static to tell the suspects whose code ran from those\n"
        "# it never reached, -fsanitize-coverage=trace-pc-guard\n"
        "# -fsanitize-coverage-allowlist=<this file>), then\n"
        "# run under snag run. "
     << SuspectCount << (SuspectCount == 1 ? " suspect, " : " suspects, ")
     << Kept.size() << " instrumented "
     << (Kept.size() == 1 ? "function, " : "functions, ") << Ignored.size()
     << " ignored.\n";
  for (const auto &[Name, Where] : Kept)
    OS << "# instrumented: " << Name << " (" << Where << ")\n";
  // Nothing kept: ThreadSanitizer would check no access, at its full
  // runtime cost (the CMake package then builds without it).
  if (Kept.empty())
    OS << "# Nothing to instrument: run the plain build under snag run.\n";
  OS << "[thread]\n";
  for (const std::string &S : Src)
    OS << "src:" << S << '\n';
  for (const std::string &Name : Ignored)
    OS << "fun:" << Name << '\n';
  // The coverage allowlist: the instrumented functions, and only they, say
  // whether they ran.
  OS << "[coverage]\nsrc:*\n";
  for (const auto &[Name, Where] : Kept)
    OS << "fun:" << Name << '\n';
}

} // namespace snag
