//===- Facts.cpp - JSON form of per-TU facts ------------------------------===//
#include "check/Facts.h"

using namespace llvm;

namespace snag {

json::Value toJSON(const TUFacts &F) {
  json::Array Findings;
  for (const Finding &Fi : F.Findings)
    Findings.push_back(toJSON(Fi));
  return json::Object{{"file", F.MainFile},
                      {"findings", std::move(Findings)},
                      {"program", toJSON(F.Program)}};
}

bool fromJSON(const json::Value &V, TUFacts &F, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("file", F.MainFile) && O.map("findings", F.Findings) &&
         O.map("program", F.Program);
}

} // namespace snag
