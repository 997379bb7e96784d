//===- Finding.cpp - Fingerprints and ordering of findings ----------------===//
#include "report/Finding.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <tuple>

using namespace llvm;

namespace snag {

unsigned StaticCrossCheck::confirmed() const {
  return count(SuspectStatus::Confirmed);
}

unsigned StaticCrossCheck::count(SuspectStatus S) const {
  unsigned N = 0;
  for (const StaticSuspect &X : Suspects)
    N += X.status() == S;
  return N;
}

SuspectStatus StaticSuspect::status() const {
  if (ConfirmedBy.known())
    return SuspectStatus::Confirmed;
  switch (Reach) {
  case SuspectReach::Ran:
    return SuspectStatus::Refuted;
  case SuspectReach::PartlyRan:
  case SuspectReach::NotRan:
    return SuspectStatus::NotReached;
  case SuspectReach::NotKnown:
    break;
  }
  return SuspectStatus::NotConfirmed;
}

namespace {
struct StatusNames {
  SuspectStatus Status;
  const char *Id;
  const char *Text;
};
constexpr StatusNames StatusTable[] = {
    {SuspectStatus::Confirmed, "confirmed", "confirmed"},
    {SuspectStatus::Refuted, "refuted", "refuted"},
    {SuspectStatus::NotReached, "not-reached", "not reached"},
    {SuspectStatus::NotConfirmed, "not-confirmed", "not confirmed"},
};
} // namespace

const char *suspectStatusId(SuspectStatus S) {
  return StatusTable[static_cast<int>(S)].Id;
}

const char *suspectStatusText(SuspectStatus S) {
  return StatusTable[static_cast<int>(S)].Text;
}

const char *suspectReachId(SuspectReach R) {
  static constexpr const char *Ids[SuspectReachCount] = {"not-known", "ran", "partly-ran",
                                                         "not-ran"};
  return Ids[static_cast<int>(R)];
}

std::string Finding::fingerprint() const {
  // The file's name, not its path: a baseline written in one checkout holds
  // in another. The key names the function and the variable or lock, not a
  // line, so an edit above the finding does not change it.
  std::string Material = RuleId;
  Material += '\0';
  Material += sys::path::filename(Where.File).str();
  Material += '\0';
  Material += FingerprintKey.empty() ? Message : FingerprintKey;
  return utohexstr(xxh3_64bits(arrayRefFromStringRef(Material)), /*LowerCase=*/true,
                   /*Width=*/16);
}

void Report::normalize() {
  auto Key = [](const Finding &F) {
    return std::make_tuple(F.Where.File, F.Where.Line, F.Where.Column, F.RuleId,
                           F.Message);
  };
  std::stable_sort(Findings.begin(), Findings.end(),
                   [&](const Finding &A, const Finding &B) { return Key(A) < Key(B); });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [&](const Finding &A, const Finding &B) {
                               return Key(A) == Key(B) &&
                                      A.fingerprint() == B.fingerprint();
                             }),
                 Findings.end());
}

static json::Value pointJson(const SourcePoint &P) {
  return json::Array{P.File, P.Line, P.Column};
}

static bool pointFrom(const json::Value *V, SourcePoint &P) {
  const json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A || A->size() != 3)
    return false;
  auto File = (*A)[0].getAsString();
  auto Line = (*A)[1].getAsInteger();
  auto Col = (*A)[2].getAsInteger();
  if (!File || !Line || !Col)
    return false;
  P = SourcePoint{File->str(), unsigned(*Line), unsigned(*Col)};
  return true;
}

json::Value toJSON(const Finding &F) {
  json::Array Related;
  for (const RelatedLocation &R : F.Related)
    Related.push_back(json::Array{pointJson(R.Where), R.Message});
  return json::Object{{"rule", F.RuleId},
                      {"error", F.Level == Severity::Error},
                      {"message", F.Message},
                      {"where", pointJson(F.Where)},
                      {"related", std::move(Related)},
                      {"key", F.FingerprintKey},
                      {"origin", F.Origin}};
}

bool fromJSON(const json::Value &V, Finding &F, json::Path P) {
  const json::Object *O = V.getAsObject();
  if (!O) {
    P.report("expected a finding");
    return false;
  }
  auto Str = [&](StringRef Key, std::string &Out) {
    if (auto S = O->getString(Key)) {
      Out = S->str();
      return true;
    }
    P.field(Key).report("expected a string");
    return false;
  };
  if (!Str("rule", F.RuleId) || !Str("message", F.Message) ||
      !Str("key", F.FingerprintKey) || !Str("origin", F.Origin))
    return false;
  F.Level = O->getBoolean("error").value_or(false) ? Severity::Error
                                                   : Severity::Warning;
  if (!pointFrom(O->get("where"), F.Where)) {
    P.field("where").report("expected [file, line, column]");
    return false;
  }
  if (const json::Array *Rel = O->getArray("related"))
    for (const json::Value &R : *Rel) {
      const json::Array *Pair = R.getAsArray();
      RelatedLocation Loc;
      if (!Pair || Pair->size() != 2 || !pointFrom(&(*Pair)[0], Loc.Where) ||
          !(*Pair)[1].getAsString()) {
        P.field("related").report("expected [[file, line, column], message]");
        return false;
      }
      Loc.Message = (*Pair)[1].getAsString()->str();
      F.Related.push_back(std::move(Loc));
    }
  return true;
}

} // namespace snag
