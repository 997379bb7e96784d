//===- UnitProcess.cpp - Analysing one unit in a child snag process -------===//
#include "check/UnitProcess.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <cstdlib>
#include <optional>

using namespace llvm;

namespace snag {

static UnitOutcome failed(StringRef File, const Twine &Why) {
  UnitOutcome Out;
  Out.Facts.MainFile = File.str();
  Out.Failed = true;
  Out.Error = Why.str();
  return Out;
}

UnitOutcome analyseInChild(const std::vector<std::string> &CheckArgs,
                           size_t Index, StringRef File) {
  std::string Exe = sys::fs::getMainExecutable(nullptr, (void *)&analyseInChild);
  SmallString<128> Result;
  if (std::error_code EC = sys::fs::createTemporaryFile("snag-unit", "json", Result))
    return failed(File, "could not create a file for a separate process's "
                        "result: " + EC.message());
  FileRemover RemoveResult(Result);

  // The unit options go before `--`: what follows it is compiler flags.
  std::vector<std::string> Args{Exe, "check"};
  bool Inserted = false;
  auto InsertOwn = [&] {
    Args.push_back(formatv("--{0}={1}", ChildUnitOption, Index).str());
    Args.push_back(formatv("--{0}={1}", ChildResultOption, Result).str());
    Args.push_back("--quiet");
    Args.push_back("--no-cache");
    Inserted = true;
  };
  for (const std::string &A : CheckArgs) {
    if (A == "--" && !Inserted)
      InsertOwn();
    Args.push_back(A);
  }
  if (!Inserted)
    InsertOwn();
  std::vector<StringRef> Argv(Args.begin(), Args.end());

  // The child reads nothing and says nothing a user needs: its outcome
  // comes back as JSON, and a dying child's stack dump would only be noise
  // beside the reason.
  std::optional<StringRef> Silent[] = {StringRef(""), StringRef(""), StringRef("")};
  std::string ErrMsg;
  int Status = sys::ExecuteAndWait(Exe, Argv, std::nullopt, Silent, 0, 0, &ErrMsg);
  if (Status == -2)
    return failed(File, "snag crashed (" + ErrMsg +
                            ") while analysing this file in a separate process; "
                            "please report it with the file");
  if (Status != 0)
    return failed(File, "a separate snag process analysing this file failed (" +
                            (ErrMsg.empty() ? "exit " + Twine(Status).str() : ErrMsg) +
                            ")");

  auto Buf = MemoryBuffer::getFile(Result, /*IsText=*/true);
  if (!Buf)
    return failed(File, "a separate snag process analysing this file left no result");
  Expected<json::Value> V = json::parse((*Buf)->getBuffer());
  const json::Object *O = V ? V->getAsObject() : nullptr;
  UnitOutcome Out;
  json::Path::Root Root;
  if (!O || !O->get("facts") || !fromJSON(*O->get("facts"), Out.Facts, Root)) {
    if (!V)
      consumeError(V.takeError());
    return failed(File, "a separate snag process analysing this file left an "
                        "unreadable result");
  }
  Out.Failed = O->getBoolean("failed").value_or(false);
  Out.Error = O->getString("error").value_or("").str();
  if (const json::Object *W = O->getObject("where")) {
    Out.ErrorWhere.File = W->getString("file").value_or("").str();
    Out.ErrorWhere.Line = W->getInteger("line").value_or(0);
    Out.ErrorWhere.Column = W->getInteger("column").value_or(0);
  }
  return Out;
}

bool writeChildOutcome(const UnitOutcome &Out, StringRef Path) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (EC)
    return false;
  json::Object O{{"facts", toJSON(Out.Facts)},
                 {"failed", Out.Failed},
                 {"error", Out.Error}};
  if (Out.ErrorWhere.known())
    O["where"] = json::Object{{"file", Out.ErrorWhere.File},
                              {"line", int64_t(Out.ErrorWhere.Line)},
                              {"column", int64_t(Out.ErrorWhere.Column)}};
  OS << json::Value(std::move(O));
  OS.close();
  return !OS.has_error();
}

void debugCrashIfAsked(StringRef MainFile) {
  const char *Env = std::getenv("SNAG_DEBUG_CRASH");
  if (!Env || !*Env)
    return;
  SmallVector<StringRef, 4> Items;
  StringRef(Env).split(Items, ',');
  for (StringRef Item : Items) {
    auto [Name, Mode] = Item.split(':');
    if (sys::path::filename(MainFile) != Name)
      continue;
    if (Mode == "kill")
      raise(SIGKILL);
    volatile int *Null = nullptr;
    *Null = 1;
  }
}

} // namespace snag
