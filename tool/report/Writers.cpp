//===- Writers.cpp - Text, SARIF 2.1.0 and JSON output --------------------===//
#include "report/Writers.h"
#include "Version.h"
#include "rules/Rules.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"

#include <map>
#include <memory>

using namespace llvm;

namespace snag {

std::optional<Format> parseFormat(StringRef Name) {
  return StringSwitch<std::optional<Format>>(Name)
      .Case("text", Format::Text)
      .Case("json", Format::Json)
      .Case("sarif", Format::Sarif)
      .Case("html", Format::Html)
      .Default(std::nullopt);
}

int exitStatusFor(const Report &R) {
  if (!R.Errors.empty() || R.UnitsFailed)
    return 2;
  return R.Findings.empty() ? 0 : 1;
}

namespace {

/// Reads source lines for carets, each file once.
class SourceLines {
public:
  StringRef line(StringRef File, unsigned Line) {
    auto &Lines = Cache[File];
    if (!Lines) {
      Lines = std::make_unique<std::vector<std::string>>();
      if (auto Buf = MemoryBuffer::getFile(File, /*IsText=*/true)) {
        SmallVector<StringRef, 0> Split;
        (*Buf)->getBuffer().split(Split, '\n');
        for (StringRef L : Split)
          Lines->push_back(L.rtrim("\r").str());
      }
    }
    if (Line == 0 || Line > Lines->size())
      return {};
    return (*Lines)[Line - 1];
  }

private:
  StringMap<std::unique_ptr<std::vector<std::string>>> Cache;
};

/// A path as the user would type it: relative to the working folder when it
/// is below it, else as it is.
StringRef displayPath(StringRef Path) {
  static const std::string Cwd = [] {
    SmallString<256> Dir;
    return sys::fs::current_path(Dir) ? std::string() : std::string(Dir) + "/";
  }();
  if (!Cwd.empty() && Path.starts_with(Cwd) && Path.size() > Cwd.size())
    return Path.drop_front(Cwd.size());
  return Path;
}

void printPoint(raw_ostream &OS, const SourcePoint &P) {
  if (P.File.empty()) {
    OS << "<unknown>";
    return;
  }
  OS << displayPath(P.File);
  if (P.Line) {
    OS << ':' << P.Line;
    if (P.Column)
      OS << ':' << P.Column;
  }
}

void printSnippet(raw_ostream &OS, SourceLines &Src, const SourcePoint &P,
                  bool Color) {
  if (!P.known())
    return;
  StringRef Text = Src.line(P.File, P.Line);
  if (Text.empty())
    return;
  OS << Text << '\n';
  if (!P.Column)
    return;
  // Keep tabs so the caret lines up under the text as the terminal shows it.
  std::string Pad;
  for (unsigned I = 0; I + 1 < P.Column && I < Text.size(); ++I)
    Pad += Text[I] == '\t' ? '\t' : ' ';
  OS << Pad;
  if (Color)
    OS.changeColor(raw_ostream::GREEN, /*Bold=*/true);
  OS << '^';
  if (Color)
    OS.resetColor();
  OS << '\n';
}

void printHeader(raw_ostream &OS, const SourcePoint &P, StringRef Kind,
                 raw_ostream::Colors KindColor, StringRef Message,
                 StringRef Suffix, bool Color) {
  if (Color)
    OS.changeColor(raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  printPoint(OS, P);
  OS << ": ";
  if (Color)
    OS.changeColor(KindColor, /*Bold=*/true);
  OS << Kind << ": ";
  if (Color)
    OS.changeColor(raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  OS << Message;
  if (!Suffix.empty())
    OS << " [" << Suffix << ']';
  if (Color)
    OS.resetColor();
  OS << '\n';
}

void printStack(raw_ostream &OS, const Stack &S) {
  OS << "  " << S.Title << ":\n";
  unsigned N = 0;
  for (const Frame &F : S.Frames) {
    OS << "    #" << N++ << ' ';
    OS << (F.Function.empty() ? "<unknown>" : F.Function);
    if (F.Where.known()) {
      OS << ' ';
      printPoint(OS, F.Where);
    } else if (!F.Module.empty()) {
      OS << " (" << F.Module << "+0x";
      OS.write_hex(F.Address);
      OS << ')';
    }
    OS << '\n';
  }
}

} // namespace

void writeText(const Report &R, raw_ostream &OS, bool Color) {
  SourceLines Src;
  for (const ToolError &E : R.Errors) {
    if (Color)
      OS.changeColor(raw_ostream::SAVEDCOLOR, true);
    printPoint(OS, SourcePoint{E.File.empty() ? "snag" : E.File, E.Line, E.Column});
    OS << ": ";
    if (Color)
      OS.changeColor(raw_ostream::RED, true);
    OS << "error: ";
    if (Color)
      OS.resetColor();
    OS << E.Message << '\n';
  }
  for (const Finding &F : R.Findings) {
    bool IsError = F.Level == Severity::Error;
    printHeader(OS, F.Where, IsError ? "error" : "warning",
                IsError ? raw_ostream::RED : raw_ostream::MAGENTA, F.Message,
                "snag-" + F.RuleId, Color);
    printSnippet(OS, Src, F.Where, Color);
    for (const RelatedLocation &Rel : F.Related) {
      printHeader(OS, Rel.Where, "note", raw_ostream::BLACK, Rel.Message, "",
                  Color);
      printSnippet(OS, Src, Rel.Where, Color);
    }
    for (const Stack &S : F.Stacks)
      printStack(OS, S);
    if (!F.Confirms.empty())
      OS << "  confirms the snag check finding at " << F.Confirms << '\n';
  }
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static json::Value pointToJson(const SourcePoint &P) {
  return json::Object{{"file", P.File}, {"line", P.Line}, {"column", P.Column}};
}

static json::Value stackToJson(const Stack &S) {
  json::Array Frames;
  for (const Frame &F : S.Frames) {
    json::Object O{{"function", F.Function}};
    if (F.Where.known())
      O["location"] = pointToJson(F.Where);
    if (!F.Module.empty()) {
      O["module"] = F.Module;
      O["offset"] = int64_t(F.Address);
    }
    Frames.push_back(std::move(O));
  }
  return json::Object{{"title", S.Title}, {"frames", std::move(Frames)}};
}

/// What snag run records of the program it ran.
static json::Object runOutcomeJson(const RunOutcome &O) {
  json::Object Out{{"processesObserved", O.Processes}};
  if (O.Signal.empty())
    Out["programExitStatus"] = O.ExitStatus;
  else
    Out["programSignal"] = O.Signal;
  return Out;
}

void writeJson(const Report &R, raw_ostream &OS) {
  json::Array Findings;
  for (const Finding &F : R.Findings) {
    json::Array Related, Stacks;
    for (const RelatedLocation &Rel : F.Related)
      Related.push_back(json::Object{{"location", pointToJson(Rel.Where)},
                                     {"message", Rel.Message}});
    for (const Stack &S : F.Stacks)
      Stacks.push_back(stackToJson(S));
    json::Object O{{"rule", F.RuleId},
                   {"severity", F.Level == Severity::Error ? "error" : "warning"},
                   {"message", F.Message},
                   {"location", pointToJson(F.Where)},
                   {"related", std::move(Related)},
                   {"fingerprint", F.fingerprint()},
                   {"origin", F.Origin}};
    if (!F.Stacks.empty())
      O["stacks"] = std::move(Stacks);
    if (!F.Confirms.empty())
      O["confirms"] = F.Confirms;
    Findings.push_back(std::move(O));
  }
  json::Array Errors;
  for (const ToolError &E : R.Errors)
    Errors.push_back(json::Object{{"file", E.File},
                                  {"line", E.Line},
                                  {"column", E.Column},
                                  {"message", E.Message}});
  json::Object Root{{"tool", "snag"},
                    {"version", SNAG_VERSION},
                    {"command", R.Command},
                    {"findings", std::move(Findings)},
                    {"errors", std::move(Errors)}};
  if (R.Command == "check")
    Root["units"] = json::Object{{"analysed", R.UnitsAnalysed},
                                 {"failed", R.UnitsFailed}};
  if (R.Run.Present)
    Root["run"] = runOutcomeJson(R.Run);
  OS << formatv("{0:2}", json::Value(std::move(Root))) << '\n';
}

//===----------------------------------------------------------------------===//
// SARIF 2.1.0
//===----------------------------------------------------------------------===//

namespace {

/// Turns paths into SARIF artifact locations: relative to the working
/// folder (with uriBaseId %SRCROOT%) where possible, else file:// URIs.
class ArtifactNamer {
public:
  ArtifactNamer() {
    SmallString<256> Cwd;
    if (!sys::fs::current_path(Cwd))
      Root = std::string(Cwd);
  }

  json::Object location(StringRef File) const {
    SmallString<256> Abs(File);
    sys::fs::make_absolute(Abs);
    sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    StringRef Rel = Abs;
    if (!Root.empty() && Rel.consume_front(Root) && Rel.consume_front("/"))
      return json::Object{{"uri", escape(Rel)}, {"uriBaseId", "%SRCROOT%"}};
    return json::Object{{"uri", "file://" + escape(Abs)}};
  }

  json::Value originalUriBaseIds() const {
    return json::Object{
        {"%SRCROOT%", json::Object{{"uri", "file://" + escape(Root) + "/"}}}};
  }

private:
  static std::string escape(StringRef Path) {
    std::string Out;
    for (char C : Path) {
      if (isAlnum(C) || StringRef("/-_.~").contains(C))
        Out += C;
      else
        Out += "%" + utohexstr((unsigned char)C, false, 2);
    }
    return Out;
  }
  std::string Root;
};

json::Object physical(const ArtifactNamer &Names, const SourcePoint &P) {
  json::Object Region{{"startLine", std::max(P.Line, 1u)}};
  if (P.Column)
    Region["startColumn"] = P.Column;
  return json::Object{{"artifactLocation", Names.location(P.File)},
                      {"region", std::move(Region)}};
}

} // namespace

void writeSarif(const Report &R, raw_ostream &OS) {
  ArtifactNamer Names;
  json::Array Rules;
  StringMap<unsigned> RuleIndex;
  auto AddRule = [&](StringRef Id) -> unsigned {
    auto It = RuleIndex.find(Id);
    if (It != RuleIndex.end())
      return It->second;
    const RuleInfo *Info = findRule(Id);
    json::Object Rule{{"id", Id}, {"name", Id}};
    Rule["shortDescription"] =
        json::Object{{"text", Info ? Info->Summary.str() : Id.str()}};
    Rule["helpUri"] = ruleHelpUri(Id);
    Rule["defaultConfiguration"] = json::Object{{"level", "warning"}};
    Rule["properties"] = json::Object{{"tags", json::Array{"concurrency"}}};
    Rules.push_back(std::move(Rule));
    return RuleIndex[Id] = Rules.size() - 1;
  };
  // Every rule of the command is listed, found or not, so a viewer can show
  // what was checked.
  for (const RuleInfo &Info : allRules())
    if (Info.FoundBy.contains(R.Command))
      AddRule(Info.Id);

  json::Array Results;
  for (const Finding &F : R.Findings) {
    json::Object Res{{"ruleId", F.RuleId},
                     {"ruleIndex", AddRule(F.RuleId)},
                     {"level", F.Level == Severity::Error ? "error" : "warning"},
                     {"message", json::Object{{"text", F.Message}}}};
    if (F.Where.known() || !F.Where.File.empty())
      Res["locations"] =
          json::Array{json::Object{{"physicalLocation", physical(Names, F.Where)}}};
    json::Array Related;
    unsigned Id = 0;
    for (const RelatedLocation &Rel : F.Related) {
      if (Rel.Where.File.empty())
        continue;
      Related.push_back(json::Object{{"id", Id++},
                                     {"physicalLocation", physical(Names, Rel.Where)},
                                     {"message", json::Object{{"text", Rel.Message}}}});
    }
    if (!Related.empty())
      Res["relatedLocations"] = std::move(Related);
    if (!F.Stacks.empty()) {
      json::Array Stacks;
      for (const Stack &S : F.Stacks) {
        json::Array Frames;
        for (const Frame &Fr : S.Frames) {
          json::Object Loc;
          if (Fr.Where.known())
            Loc["physicalLocation"] = physical(Names, Fr.Where);
          if (!Fr.Function.empty())
            Loc["logicalLocations"] =
                json::Array{json::Object{{"fullyQualifiedName", Fr.Function}}};
          json::Object FrameObj{{"location", std::move(Loc)}};
          if (!Fr.Module.empty())
            FrameObj["module"] = Fr.Module;
          Frames.push_back(std::move(FrameObj));
        }
        Stacks.push_back(json::Object{{"message", json::Object{{"text", S.Title}}},
                                      {"frames", std::move(Frames)}});
      }
      Res["stacks"] = std::move(Stacks);
    }
    Res["partialFingerprints"] = json::Object{{"snagFingerprint/v1", F.fingerprint()}};
    json::Object Props{{"origin", F.Origin}};
    if (!F.Confirms.empty())
      Props["confirms"] = F.Confirms;
    Res["properties"] = std::move(Props);
    Results.push_back(std::move(Res));
  }

  json::Array Notifications;
  for (const ToolError &E : R.Errors) {
    json::Object N{{"level", "error"},
                   {"message", json::Object{{"text", E.Message}}}};
    if (!E.File.empty()) {
      json::Object Phys{{"artifactLocation", Names.location(E.File)}};
      if (E.Line)
        Phys["region"] = json::Object{{"startLine", E.Line},
                                      {"startColumn", std::max(E.Column, 1u)}};
      N["locations"] = json::Array{json::Object{{"physicalLocation", std::move(Phys)}}};
    }
    Notifications.push_back(std::move(N));
  }
  json::Object Invocation{{"executionSuccessful", exitStatusFor(R) != 2}};
  if (R.Run.Present)
    Invocation["properties"] = runOutcomeJson(R.Run);
  if (!Notifications.empty())
    Invocation["toolExecutionNotifications"] = std::move(Notifications);

  json::Object Driver{{"name", "snag"},
                      {"version", SNAG_VERSION},
                      {"semanticVersion", SNAG_VERSION},
                      {"rules", std::move(Rules)}};
  json::Object Run{{"tool", json::Object{{"driver", std::move(Driver)}}},
                   {"invocations", json::Array{std::move(Invocation)}},
                   {"originalUriBaseIds", Names.originalUriBaseIds()},
                   {"results", std::move(Results)}};
  json::Object Log{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::Array{std::move(Run)}}};
  OS << formatv("{0:2}", json::Value(std::move(Log))) << '\n';
}

bool emitReport(const Report &R, Format F, StringRef OutputPath,
                const HtmlOptions &Html) {
  auto Write = [&](raw_ostream &OS, bool Color) {
    switch (F) {
    case Format::Text:
      writeText(R, OS, Color);
      break;
    case Format::Json:
      writeJson(R, OS);
      break;
    case Format::Sarif:
      writeSarif(R, OS);
      break;
    case Format::Html:
      writeHtml(R, OS, Html);
      break;
    }
  };
  if (OutputPath.empty() || OutputPath == "-") {
    raw_ostream &OS = F == Format::Text ? errs() : outs();
    Write(OS, F == Format::Text && OS.has_colors());
    OS.flush();
    return true;
  }
  std::error_code EC;
  raw_fd_ostream OS(OutputPath, EC, sys::fs::OF_Text);
  if (EC) {
    WithColor::error(errs(), "snag")
        << "cannot write '" << OutputPath << "': " << EC.message() << '\n';
    return false;
  }
  Write(OS, false);
  return true;
}

} // namespace snag
