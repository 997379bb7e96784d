//===- Baseline.cpp - --write-baseline and --baseline ---------------------===//
#include "report/Suppressions.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace snag {

bool writeBaseline(const Report &R, StringRef Path, std::string &Error) {
  json::Array Entries;
  for (const Finding &F : R.Findings)
    Entries.push_back(json::Object{{"fingerprint", F.fingerprint()},
                                   {"rule", F.RuleId},
                                   {"file", F.Where.File},
                                   {"message", F.Message}});
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (EC) {
    Error = "cannot write baseline '" + Path.str() + "': " + EC.message();
    return false;
  }
  OS << formatv("{0:2}", json::Value(json::Object{
                             {"snagBaseline", 1}, {"findings", std::move(Entries)}}))
     << '\n';
  OS.close();
  if (OS.has_error()) {
    Error = "cannot write baseline '" + Path.str() + "': " + OS.error().message();
    OS.clear_error();
    return false;
  }
  return true;
}

bool applyBaseline(Report &R, StringRef Path, std::string &Error) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf) {
    Error = "cannot read baseline '" + Path.str() + "': " + Buf.getError().message();
    return false;
  }
  Expected<json::Value> Parsed = json::parse((*Buf)->getBuffer());
  if (!Parsed) {
    Error = "baseline '" + Path.str() + "' is not valid JSON: " +
            toString(Parsed.takeError());
    return false;
  }
  const json::Object *Root = Parsed->getAsObject();
  const json::Array *Entries = Root ? Root->getArray("findings") : nullptr;
  if (!Entries || !Root->get("snagBaseline")) {
    Error = "'" + Path.str() + "' is not a snag baseline (write one with --write-baseline)";
    return false;
  }
  StringSet<> Known;
  for (const json::Value &E : *Entries)
    if (const json::Object *O = E.getAsObject())
      if (auto FP = O->getString("fingerprint"))
        Known.insert(*FP);
  std::erase_if(R.Findings,
                [&](const Finding &F) { return Known.contains(F.fingerprint()); });
  return true;
}

} // namespace snag
