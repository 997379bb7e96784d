//===- StaticConfirm.cpp - Runtime findings that confirm snag check's -----===//
#include "run/StaticConfirm.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <set>
#include <tuple>

using namespace llvm;

namespace snag {

static SourcePoint pointFromLocation(const json::Value &Loc) {
  SourcePoint P;
  const json::Object *O = Loc.getAsObject();
  const json::Object *Phys = O ? O->getObject("physicalLocation") : nullptr;
  if (!Phys)
    return P;
  if (const json::Object *A = Phys->getObject("artifactLocation"))
    if (auto Uri = A->getString("uri")) {
      StringRef U = *Uri;
      U.consume_front("file://");
      P.File = U.str();
    }
  if (const json::Object *R = Phys->getObject("region")) {
    P.Line = R->getInteger("startLine").value_or(0);
    P.Column = R->getInteger("startColumn").value_or(0);
  }
  return P;
}

Expected<std::vector<Finding>> readStaticSarif(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '%s': %s",
                             Path.str().c_str(),
                             Buf.getError().message().c_str());
  Expected<json::Value> Log = json::parse((*Buf)->getBuffer());
  if (!Log)
    return createStringError(inconvertibleErrorCode(),
                             "'%s' is not a SARIF log: %s", Path.str().c_str(),
                             toString(Log.takeError()).c_str());
  std::vector<Finding> Out;
  const json::Object *Root = Log->getAsObject();
  const json::Array *Runs = Root ? Root->getArray("runs") : nullptr;
  if (!Runs)
    return createStringError(inconvertibleErrorCode(),
                             "'%s' is not a SARIF log: no runs",
                             Path.str().c_str());
  for (const json::Value &Run : *Runs) {
    const json::Object *RO = Run.getAsObject();
    const json::Array *Results = RO ? RO->getArray("results") : nullptr;
    if (!Results)
      continue;
    for (const json::Value &Res : *Results) {
      const json::Object *O = Res.getAsObject();
      if (!O)
        continue;
      Finding F;
      F.RuleId = O->getString("ruleId").value_or("").str();
      StringRef Rule = F.RuleId;
      Rule.consume_front("snag-");
      F.RuleId = Rule.str();
      if (const json::Object *M = O->getObject("message"))
        F.Message = M->getString("text").value_or("").str();
      if (const json::Array *Locs = O->getArray("locations"))
        if (!Locs->empty())
          F.Where = pointFromLocation(Locs->front());
      if (const json::Array *Rel = O->getArray("relatedLocations"))
        for (const json::Value &L : *Rel) {
          std::string Text;
          if (const json::Object *LO = L.getAsObject())
            if (const json::Object *M = LO->getObject("message"))
              Text = M->getString("text").value_or("").str();
          F.Related.push_back({pointFromLocation(L), std::move(Text)});
        }
      Out.push_back(std::move(F));
    }
  }
  return Out;
}

std::vector<StringRef> confirmedStaticRules(StringRef RuntimeRule) {
  if (RuntimeRule == "data-race")
    return {"unprotected-shared-state", "atomicity-violation"};
  if (RuntimeRule == "deadlock")
    return {"lock-order-inversion", "double-lock"};
  if (RuntimeRule == "mutex-destroyed-locked")
    return {"lock-not-released"};
  if (RuntimeRule == "missing-join" || RuntimeRule == "leaked-thread")
    return {"missing-join", "leaked-thread", "dangling-capture"};
  return {RuntimeRule};
}

/// The names a message quotes in backticks (`database_value`).
static std::set<std::string> quotedNames(StringRef Message) {
  std::set<std::string> Names;
  static const Regex NameRE("`([^`]+)`");
  SmallVector<StringRef, 2> M;
  while (NameRE.match(Message, &M)) {
    Names.insert(M[1].str());
    Message = Message.substr(Message.find(M[0]) + M[0].size());
  }
  return Names;
}

bool sameSourceFile(StringRef A, StringRef B) {
  if (A.empty() || B.empty())
    return false;
  if (A == B)
    return true;
  // One side may be relative (the static log's URIs), the other absolute.
  return sys::path::filename(A) == sys::path::filename(B) &&
         (A.ends_with(B) || B.ends_with(A));
}

/// How the related locations of a race suspect that are the other side of
/// the race begin (unprotected-shared-state, atomicity-violation).
static constexpr StringLiteral OtherSideNotes[] = {"conflicting ",
                                                   "another thread may write "};

std::vector<StaticSuspect> markConfirmations(std::vector<Finding> &Findings,
                                             const std::vector<Finding> &Static) {
  std::vector<StaticSuspect> Suspects;
  std::vector<const Finding *> SuspectOf;
  for (const Finding &S : Static)
    if (is_contained(confirmedStaticRules("data-race"), StringRef(S.RuleId))) {
      StaticSuspect X{S.RuleId, S.Where, S.Message, {}, {}};
      // The other sides: the accesses of another thread it names, not the
      // thread starts or the same thread's own write-back.
      for (const RelatedLocation &R : S.Related)
        if (R.Where.known() && any_of(OtherSideNotes, [&](StringRef Prefix) {
              return StringRef(R.Message).starts_with(Prefix);
            }))
          X.OtherSides.push_back(R.Where);
      Suspects.push_back(std::move(X));
      SuspectOf.push_back(&S);
    }
  for (Finding &F : Findings) {
    if (F.Origin == "check" || !F.Confirms.empty())
      continue;
    // Every line the runtime finding points at: its primary location, its
    // related ones, and the user's frames of its first two stacks (the two
    // accesses of a race).
    std::vector<SourcePoint> Points{F.Where};
    for (const RelatedLocation &R : F.Related)
      Points.push_back(R.Where);
    for (size_t I = 0; I < F.Stacks.size() && I < 2; ++I)
      for (const Frame &Fr : F.Stacks[I].Frames)
        if (Fr.Where.known())
          Points.push_back(Fr.Where);
    std::set<std::string> Names = quotedNames(F.Message);
    auto Rules = confirmedStaticRules(F.RuleId);
    for (const Finding &S : Static) {
      if (!llvm::is_contained(Rules, StringRef(S.RuleId)))
        continue;
      std::vector<SourcePoint> StaticPoints{S.Where};
      for (const RelatedLocation &R : S.Related)
        StaticPoints.push_back(R.Where);
      bool SameLine = llvm::any_of(Points, [&](const SourcePoint &P) {
        return llvm::any_of(StaticPoints, [&](const SourcePoint &Q) {
          return P.Line && P.Line == Q.Line && sameSourceFile(P.File, Q.File);
        });
      });
      bool SameVariable =
          !Names.empty() && sameSourceFile(F.Where.File, S.Where.File) &&
          llvm::any_of(quotedNames(S.Message),
                       [&](const std::string &N) { return Names.count(N); });
      if (!SameLine && !SameVariable)
        continue;
      // The finding names the first static finding it confirms; a suspect
      // names the first place (by file and line) of a finding confirming it.
      if (F.Confirms.empty())
        F.Confirms = S.Where.File + ":" + std::to_string(S.Where.Line);
      for (size_t I = 0; I < SuspectOf.size(); ++I) {
        SourcePoint &By = Suspects[I].ConfirmedBy;
        if (SuspectOf[I] == &S &&
            (!By.known() || std::tie(F.Where.File, F.Where.Line, F.Where.Column) <
                                std::tie(By.File, By.Line, By.Column)))
          By = F.Where;
      }
    }
  }
  return Suspects;
}

} // namespace snag
