//===- Facts.cpp - JSON form of per-TU facts ------------------------------===//
#include "check/Facts.h"

using namespace llvm;

namespace snag {

json::Value toJSON(const FocusSymbol &S) {
  return json::Array{json::Array(S.Mangled), S.File, int64_t(S.Begin), int64_t(S.End)};
}

bool fromJSON(const json::Value &V, FocusSymbol &S, json::Path P) {
  const json::Array *A = V.getAsArray();
  if (!A || A->size() != 4) {
    P.report("expected [names, file, begin, end]");
    return false;
  }
  auto Begin = (*A)[2].getAsInteger(), End = (*A)[3].getAsInteger();
  auto File = (*A)[1].getAsString();
  if (!Begin || !End || !File || !fromJSON((*A)[0], S.Mangled, P.index(0))) {
    P.report("expected [names, file, begin, end]");
    return false;
  }
  S.File = File->str();
  S.Begin = *Begin;
  S.End = *End;
  return true;
}

json::Value toJSON(const TUFacts &F) {
  json::Array Findings;
  for (const Finding &Fi : F.Findings)
    Findings.push_back(toJSON(Fi));
  return json::Object{{"file", F.MainFile},
                      {"findings", std::move(Findings)},
                      {"program", toJSON(F.Program)},
                      {"symbols", json::Array(F.Symbols)},
                      {"ignored-sources", json::Array(F.IgnoredSources)}};
}

bool fromJSON(const json::Value &V, TUFacts &F, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("file", F.MainFile) && O.map("findings", F.Findings) &&
         O.map("program", F.Program) && O.mapOptional("symbols", F.Symbols) &&
         O.mapOptional("ignored-sources", F.IgnoredSources);
}

} // namespace snag
