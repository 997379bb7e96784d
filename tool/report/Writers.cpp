//===- Writers.cpp - Text, SARIF 2.1.0 and JSON output --------------------===//
#include "report/Writers.h"
#include "Version.h"
#include "rules/Rules.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"

#include <cstdlib>
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

/// How many locks and call sites the text profile shows; JSON has them all.
constexpr size_t ProfileRows = 10;

/// What a suspect's status rests on, for its line of text.
static const char *reachText(const StaticSuspect &X) {
  switch (X.status()) {
  case SuspectStatus::Refuted:
    return " (the code of both sides ran; no race was reported)";
  case SuspectStatus::NotReached:
    return X.Reach == SuspectReach::PartlyRan ? " (one side's code ran, the other's did not)"
                                              : " (its code did not run)";
  case SuspectStatus::Confirmed:
  case SuspectStatus::NotConfirmed:
    break;
  }
  return "";
}

/// snag run --static: the count of the race suspects by status, then each.
static void printStatic(raw_ostream &OS, const StaticCrossCheck &S) {
  OS << "snag: race suspects of " << S.Log << ": " << S.Suspects.size()
     << "; confirmed by this run " << S.confirmed();
  if (S.Coverage) {
    OS << ", refuted " << S.count(SuspectStatus::Refuted) << ", not reached "
       << S.count(SuspectStatus::NotReached);
    if (unsigned N = S.count(SuspectStatus::NotConfirmed))
      OS << ", not known " << N << " (no coverage of their code)";
  } else {
    OS << ", not confirmed " << S.Suspects.size() - S.confirmed()
       << " (whether their code ran is not known: " << S.NoCoverageWhy << ")";
  }
  OS << '\n';
  for (const StaticSuspect &X : S.Suspects) {
    OS << "  " << suspectStatusText(X.status()) << ": ";
    printPoint(OS, X.Where);
    OS << " [snag-" << X.RuleId << "]";
    if (X.ConfirmedBy.known()) {
      OS << " by the finding at ";
      printPoint(OS, X.ConfirmedBy);
    }
    OS << reachText(X) << '\n';
  }
}

void printProfile(raw_ostream &OS, const LockProfile &P) {
  if (P.Locks.empty() && !P.OtherLocks) {
    OS << "snag: lock contention profile: no lock was taken\n";
    return;
  }
  OS << "snag: lock contention profile (" << P.Locks.size()
     << (P.Locks.size() == 1 ? " lock" : " locks") << " taken; most waited-for first):\n";
  size_t NameWidth = 4;
  for (size_t I = 0; I < P.Locks.size() && I < ProfileRows; ++I)
    NameWidth = std::max(NameWidth, P.Locks[I].Name.size() + (P.Locks[I].Process.empty()
                                                                  ? 0
                                                                  : P.Locks[I].Process.size() + 3));
  OS << "  " << left_justify("lock", NameWidth) << "  " << right_justify("taken", 10)
     << right_justify("waited", 10) << right_justify("wait total", 12)
     << right_justify("wait max", 12) << right_justify("hold total", 12)
     << right_justify("hold max", 12) << '\n';
  for (size_t I = 0; I < P.Locks.size() && I < ProfileRows; ++I) {
    const ProfiledLock &L = P.Locks[I];
    std::string Name = L.Process.empty() ? L.Name : L.Name + " [" + L.Process + "]";
    OS << "  " << left_justify(Name, NameWidth) << "  " << right_justify(utostr(L.Acquisitions), 10)
       << right_justify(utostr(L.Contended), 10)
       << right_justify(formatDuration(L.WaitTotalNs), 12)
       << right_justify(formatDuration(L.WaitMaxNs), 12)
       << right_justify(formatDuration(L.HoldTotalNs), 12)
       << right_justify(formatDuration(L.HoldMaxNs), 12) << '\n';
  }
  if (P.Locks.size() > ProfileRows)
    OS << "  (and " << P.Locks.size() - ProfileRows << " more locks; --format json has them all)\n";
  if (P.OtherLocks)
    OS << "  (and " << P.OtherLocks << " locks gone before the end, never waited for, taken "
       << P.OtherAcquisitions << " times in all)\n";
  if (P.Sites.empty()) {
    OS << "snag: no thread waited for a lock\n";
    return;
  }
  OS << "snag: call sites that waited longest:\n";
  for (size_t I = 0; I < P.Sites.size() && I < ProfileRows; ++I) {
    const ProfiledSite &S = P.Sites[I];
    OS << "  ";
    printPoint(OS, S.Where);
    if (!S.Function.empty() && S.Function != "??")
      OS << " in " << S.Function;
    OS << ": " << S.Lock << ", " << S.Waits << (S.Waits == 1 ? " wait, " : " waits, ")
       << formatDuration(S.WaitTotalNs) << " in all, " << formatDuration(S.WaitMaxNs)
       << " at most";
    if (!S.Process.empty())
      OS << " [" << S.Process << "]";
    OS << '\n';
  }
  if (P.Sites.size() > ProfileRows)
    OS << "  (and " << P.Sites.size() - ProfileRows << " more call sites)\n";
}

} // namespace

std::string formatDuration(uint64_t Ns) {
  if (Ns < 1000)
    return utostr(Ns) + " ns";
  if (Ns < 1000000)
    return formatv("{0:f1} us", Ns / 1e3).str();
  if (Ns < 1000000000)
    return formatv("{0:f1} ms", Ns / 1e6).str();
  return formatv("{0:f2} s", Ns / 1e9).str();
}

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
  if (R.Profile.Present)
    printProfile(OS, R.Profile);
  if (R.Static.Present)
    printStatic(OS, R.Static);
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

/// snag run --static: the race suspects and what this run says of each.
static json::Object staticJson(const StaticCrossCheck &S) {
  json::Array Items;
  for (const StaticSuspect &X : S.Suspects) {
    json::Object O{{"rule", X.RuleId},
                   {"location", pointToJson(X.Where)},
                   {"message", X.Message},
                   {"status", suspectStatusId(X.status())},
                   {"reach", suspectReachId(X.Reach)}};
    if (X.ConfirmedBy.known())
      O["confirmedBy"] = pointToJson(X.ConfirmedBy);
    Items.push_back(std::move(O));
  }
  unsigned Confirmed = S.confirmed();
  json::Object Out{{"log", S.Log},
                   {"suspects", int64_t(S.Suspects.size())},
                   {"confirmed", int64_t(Confirmed)},
                   {"notConfirmed", int64_t(S.Suspects.size() - Confirmed)},
                   {"coverage", S.Coverage},
                   {"items", std::move(Items)}};
  if (S.Coverage) {
    Out["refuted"] = int64_t(S.count(SuspectStatus::Refuted));
    Out["notReached"] = int64_t(S.count(SuspectStatus::NotReached));
    Out["notKnown"] = int64_t(S.count(SuspectStatus::NotConfirmed));
  } else {
    Out["notKnown"] = int64_t(S.Suspects.size() - Confirmed);
    Out["noCoverage"] = S.NoCoverageWhy;
  }
  return Out;
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

/// snag run --profile's contention profile; times in nanoseconds.
static json::Object profileJson(const LockProfile &P) {
  json::Array Locks, Sites;
  for (const ProfiledLock &L : P.Locks) {
    json::Object O{{"lock", L.Name},
                   {"acquisitions", int64_t(L.Acquisitions)},
                   {"contended", int64_t(L.Contended)},
                   {"waitTotalNs", int64_t(L.WaitTotalNs)},
                   {"waitMaxNs", int64_t(L.WaitMaxNs)},
                   {"holdTotalNs", int64_t(L.HoldTotalNs)},
                   {"holdMaxNs", int64_t(L.HoldMaxNs)}};
    if (!L.Process.empty())
      O["process"] = L.Process;
    Locks.push_back(std::move(O));
  }
  for (const ProfiledSite &S : P.Sites) {
    json::Object O{{"location", pointToJson(S.Where)},
                   {"function", S.Function},
                   {"lock", S.Lock},
                   {"waits", int64_t(S.Waits)},
                   {"waitTotalNs", int64_t(S.WaitTotalNs)},
                   {"waitMaxNs", int64_t(S.WaitMaxNs)}};
    if (!S.Process.empty())
      O["process"] = S.Process;
    Sites.push_back(std::move(O));
  }
  return json::Object{{"locks", std::move(Locks)},
                      {"callSites", std::move(Sites)},
                      {"otherLocks", json::Object{{"locks", int64_t(P.OtherLocks)},
                                                  {"acquisitions",
                                                   int64_t(P.OtherAcquisitions)}}}};
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
  if (R.Profile.Present)
    Root["profile"] = profileJson(R.Profile);
  if (R.Static.Present)
    Root["static"] = staticJson(R.Static);
  OS << formatv("{0:2}", json::Value(std::move(Root))) << '\n';
}

//===----------------------------------------------------------------------===//
// SARIF 2.1.0
//===----------------------------------------------------------------------===//

namespace {

/// Each rule's page, docs/rules/<id>.md, embedded when snag was built.
struct RuleDoc {
  StringRef Id;
  StringRef Markdown;
};
const RuleDoc RuleDocs[] = {
#define RULE_DOC(Id, Markdown) {Id, Markdown},
#include "RuleDocs.inc"
};

StringRef ruleDoc(StringRef Id) {
  for (const RuleDoc &D : RuleDocs)
    if (D.Id == Id)
      return D.Markdown;
  return {};
}

/// The page's first paragraph (after its title), on one line.
std::string firstParagraph(StringRef Markdown) {
  SmallVector<StringRef, 0> Lines;
  Markdown.split(Lines, '\n');
  std::string Out;
  for (StringRef L : Lines) {
    L = L.trim();
    if (L.starts_with("#") && Out.empty())
      continue;
    if (L.empty()) {
      if (Out.empty())
        continue;
      break;
    }
    if (!Out.empty())
      Out += ' ';
    Out += L.str();
  }
  return Out;
}

/// The folder SARIF paths are relative to: the git work tree holding the
/// working folder (code scanning resolves paths against the repository's
/// root), else the working folder.
std::string sourceRoot() {
  SmallString<256> Cwd;
  if (sys::fs::current_path(Cwd))
    return "";
  for (StringRef Dir = Cwd; !Dir.empty(); Dir = sys::path::parent_path(Dir)) {
    SmallString<256> Git(Dir);
    sys::path::append(Git, ".git");
    if (sys::fs::exists(Git))
      return Dir.str();
    if (sys::path::parent_path(Dir) == Dir)
      break;
  }
  return std::string(Cwd);
}

/// Turns paths into SARIF artifact locations: relative to the source root
/// (with uriBaseId %SRCROOT%) where possible, else file:// URIs.
class ArtifactNamer {
public:
  ArtifactNamer() : Root(sourceRoot()) {}

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

/// SARIF counts columns in UTF-16 code units (columnKind utf16CodeUnits, as
/// code scanning expects); snag's columns are UTF-8 bytes, as Clang's are.
unsigned utf16Column(SourceLines &Src, const SourcePoint &P) {
  StringRef Text = Src.line(P.File, P.Line);
  unsigned Units = 1;
  for (size_t I = 0; I + 1 < P.Column && I < Text.size(); ++I) {
    unsigned char C = Text[I];
    if ((C & 0xC0) == 0x80)
      continue; // a continuation byte
    Units += C >= 0xF0 ? 2 : 1; // four-byte sequences are surrogate pairs
  }
  // Past the end of the line (or an unreadable file): keep the offset.
  if (P.Column > Text.size() + 1)
    Units += P.Column - Text.size() - 1;
  return Units;
}

class SarifLocations {
public:
  json::Object physical(const SourcePoint &P) {
    json::Object Region{{"startLine", std::max(P.Line, 1u)}};
    if (P.Column)
      Region["startColumn"] = utf16Column(Src, P);
    return json::Object{{"artifactLocation", Names.location(P.File)},
                        {"region", std::move(Region)}};
  }
  const ArtifactNamer &names() const { return Names; }

private:
  ArtifactNamer Names;
  SourceLines Src;
};

std::string helpUri(StringRef Base, StringRef Id) {
  std::string Uri = Base.str();
  if (size_t At = Uri.find("{id}"); At != std::string::npos)
    return Uri.replace(At, 4, Id.str());
  if (!StringRef(Uri).ends_with("/"))
    Uri += '/';
  return Uri + Id.str() + ".md";
}

/// A runtime stack as a SARIF thread flow: outermost caller first, the
/// stack's title as the flow's message.
json::Object threadFlow(SarifLocations &Locs, const Stack &S) {
  json::Array Steps;
  for (auto It = S.Frames.rbegin(); It != S.Frames.rend(); ++It) {
    json::Object Loc;
    if (It->Where.known())
      Loc["physicalLocation"] = Locs.physical(It->Where);
    if (!It->Function.empty())
      Loc["logicalLocations"] =
          json::Array{json::Object{{"fullyQualifiedName", It->Function}}};
    if (!It->Where.known() && !It->Module.empty())
      Loc["message"] = json::Object{
          {"text", It->Module + "+0x" + utohexstr(It->Address)}};
    Steps.push_back(json::Object{{"location", std::move(Loc)}});
  }
  return json::Object{{"message", json::Object{{"text", S.Title}}},
                      {"locations", std::move(Steps)}};
}

} // namespace

void writeSarif(const Report &R, raw_ostream &OS, const WriteOptions &Opts) {
  SarifLocations Locs;
  std::string DocsBase = Opts.DocsUrl;
#ifdef SNAG_DOCS_BASE_URL
  if (DocsBase.empty())
    DocsBase = SNAG_DOCS_BASE_URL;
#endif
  json::Array Rules;
  StringMap<unsigned> RuleIndex;
  auto AddRule = [&](StringRef Id) -> unsigned {
    auto It = RuleIndex.find(Id);
    if (It != RuleIndex.end())
      return It->second;
    const RuleInfo *Info = findRule(Id);
    std::string Summary = Info ? Info->Summary.str() : Id.str();
    json::Object Rule{{"id", Id}, {"name", Id}};
    Rule["shortDescription"] = json::Object{{"text", Summary}};
    StringRef Doc = ruleDoc(Id);
    std::string Full = firstParagraph(Doc);
    Rule["fullDescription"] = json::Object{{"text", Full.empty() ? Summary : Full}};
    if (!Doc.empty())
      Rule["help"] = json::Object{{"text", Doc}, {"markdown", Doc}};
    if (!DocsBase.empty())
      Rule["helpUri"] = helpUri(DocsBase, Id);
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
          json::Array{json::Object{{"physicalLocation", Locs.physical(F.Where)}}};
    json::Array Related;
    unsigned Id = 0;
    for (const RelatedLocation &Rel : F.Related) {
      if (Rel.Where.File.empty())
        continue;
      Related.push_back(json::Object{{"id", Id++},
                                     {"physicalLocation", Locs.physical(Rel.Where)},
                                     {"message", json::Object{{"text", Rel.Message}}}});
    }
    // Each stack's innermost frame in the user's code is a related location
    // too: viewers that show no code flows still point at it.
    for (const Stack &S : F.Stacks)
      for (const Frame &Fr : S.Frames)
        if (Fr.Where.known()) {
          Related.push_back(json::Object{{"id", Id++},
                                         {"physicalLocation", Locs.physical(Fr.Where)},
                                         {"message", json::Object{{"text", S.Title}}}});
          break;
        }
    if (!Related.empty())
      Res["relatedLocations"] = std::move(Related);
    json::Array Flows, Stacks;
    for (const Stack &S : F.Stacks) {
      if (S.Frames.empty())
        continue;
      Flows.push_back(threadFlow(Locs, S));
      json::Array Frames;
      for (const Frame &Fr : S.Frames) {
        json::Object Loc;
        if (Fr.Where.known())
          Loc["physicalLocation"] = Locs.physical(Fr.Where);
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
    // Code scanning shows code flows; `stacks` stays for other viewers.
    if (!Flows.empty()) {
      Res["codeFlows"] = json::Array{json::Object{{"threadFlows", std::move(Flows)}}};
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
      json::Object Phys{{"artifactLocation", Locs.names().location(E.File)}};
      if (E.Line) {
        SourcePoint P{E.File, E.Line, std::max(E.Column, 1u)};
        Phys = Locs.physical(P);
      }
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
  if (!DocsBase.empty())
    Driver["informationUri"] = helpUri(DocsBase, "README");
  json::Object Run{
      {"tool", json::Object{{"driver", std::move(Driver)}}},
      // The category code scanning files results under: snag check and snag
      // run results for one commit must not replace each other.
      {"automationDetails", json::Object{{"id", "snag/" + R.Command + "/"}}},
      {"invocations", json::Array{std::move(Invocation)}},
      {"originalUriBaseIds", Locs.names().originalUriBaseIds()},
      {"columnKind", "utf16CodeUnits"},
      {"results", std::move(Results)}};
  if (R.Static.Present)
    Run["properties"] = json::Object{{"snagStatic", staticJson(R.Static)}};
  json::Object Log{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::Array{std::move(Run)}}};
  OS << formatv("{0:2}", json::Value(std::move(Log))) << '\n';
}

bool useColor(raw_ostream &OS, std::optional<bool> Choice) {
  if (Choice)
    return *Choice;
  // https://no-color.org: any non-empty NO_COLOR turns colours off.
  if (const char *NoColor = std::getenv("NO_COLOR"); NoColor && *NoColor)
    return false;
  return OS.has_colors();
}

bool emitReport(const Report &R, Format F, StringRef OutputPath,
                const WriteOptions &Opts) {
  auto Write = [&](raw_ostream &OS, bool Color) {
    switch (F) {
    case Format::Text:
      writeText(R, OS, Color);
      break;
    case Format::Json:
      writeJson(R, OS);
      break;
    case Format::Sarif:
      writeSarif(R, OS, Opts);
      break;
    case Format::Html:
      writeHtml(R, OS, Opts.Html);
      break;
    }
  };
  auto Failed = [&](StringRef Where, std::error_code EC) {
    WithColor::error(errs(), "snag")
        << "cannot write " << Where << ": " << EC.message() << '\n';
    return false;
  };
  if (OutputPath.empty() || OutputPath == "-") {
    raw_fd_ostream &OS = F == Format::Text ? errs() : outs();
    bool Color = F == Format::Text && useColor(OS, Opts.Color);
    if (Color)
      OS.enable_colors(true); // --color=always on a pipe
    Write(OS, Color);
    OS.flush();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error(); // reported here, not again when the stream closes
      return Failed(F == Format::Text ? "the report to stderr"
                                      : "the report to stdout",
                    EC);
    }
    return true;
  }
  std::error_code EC;
  raw_fd_ostream OS(OutputPath, EC, sys::fs::OF_Text);
  if (EC)
    return Failed("'" + OutputPath.str() + "'", EC);
  Write(OS, Opts.Color.value_or(false));
  // A full disk shows only when the buffer is written out.
  OS.close();
  if (OS.has_error()) {
    EC = OS.error();
    OS.clear_error();
    return Failed("'" + OutputPath.str() + "'", EC);
  }
  return true;
}

} // namespace snag
