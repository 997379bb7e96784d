//===- CheckCommand.cpp - The `snag check` subcommand ---------------------===//
#include "check/CheckCommand.h"
#include "Version.h"
#include "check/Analyses.h"
#include "check/Cache.h"
#include "check/Driver.h"
#include "check/Sources.h"
#include "report/Suppressions.h"
#include "report/Writers.h"
#include "rules/Rules.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstring>

using namespace llvm;

namespace snag {

void printRuleList(raw_ostream &OS) {
  for (const RuleInfo &R : allRules())
    OS << formatv("{0,-28} {1,-11} {2}\n", R.Id, "[" + R.FoundBy.str() + "]",
                  R.Summary);
}

static int fail(const Twine &Message) {
  WithColor::error(errs(), "snag") << Message << '\n';
  return 2;
}

int checkMain(int argc, const char **argv) {
  // Options are local to the subcommand: `snag run` declares its own.
  static cl::OptionCategory Category("snag check options");
  static cl::list<std::string> Paths(cl::Positional, cl::desc("<file or folder>..."),
                                     cl::cat(Category));
  static cl::opt<std::string> BuildDir(
      "p", cl::desc("Build folder holding compile_commands.json"),
      cl::value_desc("build-dir"), cl::Prefix, cl::cat(Category));
  static cl::opt<unsigned> Jobs("j", cl::desc("Parallel workers (default: all cores)"),
                                cl::init(0), cl::Prefix, cl::cat(Category));
  static cl::opt<bool> ParseOnly(
      "parse-only", cl::Hidden,
      cl::desc("Parse every file and run no analysis (to measure parsing alone)"),
      cl::cat(Category));
  static cl::opt<std::string> FormatName(
      "format", cl::desc("Report format: text, json, sarif or html (default: text)"),
      cl::init("text"), cl::cat(Category));
  static cl::opt<std::string> Output(
      "o", cl::desc("Write the report to this file (text goes to stderr otherwise, "
                    "json, sarif and html to stdout)"),
      cl::value_desc("file"), cl::cat(Category));
  static cl::opt<std::string> CacheDir(
      "cache-dir", cl::desc("Folder for cached per-file facts "
                            "(default: $XDG_CACHE_HOME/snag)"),
      cl::cat(Category));
  static cl::opt<bool> NoCache("no-cache", cl::desc("Analyse every file afresh"),
                               cl::cat(Category));
  static cl::opt<std::string> Baseline(
      "baseline", cl::desc("Report only findings not recorded in this baseline"),
      cl::value_desc("file"), cl::cat(Category));
  static cl::opt<std::string> WriteBaseline(
      "write-baseline", cl::desc("Record today's findings in this file"),
      cl::value_desc("file"), cl::cat(Category));
  static cl::opt<bool> ListRules("list-rules", cl::desc("List the rules and exit"),
                                 cl::cat(Category));
  static cl::opt<bool> Quiet("quiet", cl::desc("No progress line and no summary"),
                             cl::cat(Category));

  // Everything after `--` is compiler flags, not ours.
  std::vector<std::string> ExtraFlags;
  int OwnArgs = argc;
  for (int I = 1; I < argc; ++I)
    if (std::strcmp(argv[I], "--") == 0) {
      OwnArgs = I;
      ExtraFlags.assign(argv + I + 1, argv + argc);
      break;
    }
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "snag " << SNAG_VERSION << " (LLVM " << SNAG_LLVM_VERSION << ")\n";
  });
  std::string Errors;
  raw_string_ostream ErrOS(Errors);
  if (!cl::ParseCommandLineOptions(
          OwnArgs, argv,
          "snag check: find concurrency bugs in C and C++ source\n\n"
          "  snag check [options] <file or folder>... [-- <compiler flags>]\n\n"
          "Compile commands come from compile_commands.json: given with -p, or "
          "found in\na parent folder of each path (or its build/ folder). With "
          "-p, flags after --\nare added to its commands. Without -p, -- means "
          "no database: each file is\nparsed with -std=c++20 (C: -std=gnu17) "
          "-pthread and the flags after --.\n",
          &ErrOS)) {
    ErrOS.flush();
    errs() << Errors;
    return 2;
  }
  if (ListRules) {
    printRuleList(outs());
    return 0;
  }
  std::optional<Format> Fmt = parseFormat(FormatName);
  if (!Fmt)
    return fail("unknown --format '" + FormatName + "' (expected text, json, sarif or html)");
  if (Paths.empty() && BuildDir.empty())
    return fail("no input: name a file or a folder, or a build folder with -p "
                "(see snag check --help)");

  SourceRequest Req{std::vector<std::string>(Paths.begin(), Paths.end()), BuildDir,
                    ExtraFlags, OwnArgs != argc};
  Expected<SourcePlan> Plan = planSources(Req);
  if (!Plan)
    return fail(toString(Plan.takeError()));
  if (Plan->Units.empty())
    return fail("no C or C++ source to analyse");

  std::string CachePath = CacheDir.empty() ? FactsCache::defaultDir() : CacheDir;
  std::optional<FactsCache> Cache;
  if (!NoCache && !CachePath.empty())
    Cache.emplace(CachePath);

  ConfigFinder Configs;
  DriverOptions Opts;
  Opts.Jobs = Jobs;
  Opts.Cache = Cache ? &*Cache : nullptr;
  Opts.Progress = !Quiet && sys::Process::StandardErrIsDisplayed();
  Opts.ParseOnly = ParseOnly;
  if (ParseOnly)
    Opts.Cache = nullptr;
  auto ParseStart = std::chrono::steady_clock::now();
  std::vector<UnitOutcome> Outcomes = analyseUnits(Plan->Units, Configs, Opts);
  auto LinkStart = std::chrono::steady_clock::now();

  Report R;
  R.Command = "check";
  std::vector<const TUFacts *> Analysed;
  unsigned Cached = 0;
  for (UnitOutcome &O : Outcomes) {
    if (O.Failed) {
      ++R.UnitsFailed;
      ToolError E{O.Facts.MainFile, O.Error};
      if (O.ErrorWhere.known()) {
        E = ToolError{O.ErrorWhere.File, O.Error, O.ErrorWhere.Line,
                      O.ErrorWhere.Column};
        if (O.ErrorWhere.File != O.Facts.MainFile)
          E.Message += " (in a file included by " + O.Facts.MainFile + ")";
      }
      E.Message += "; snag could not analyse this file";
      R.Errors.push_back(std::move(E));
      continue;
    }
    ++R.UnitsAnalysed;
    Cached += O.FromCache;
    Analysed.push_back(&O.Facts);
    R.Findings.insert(R.Findings.end(), O.Facts.Findings.begin(),
                      O.Facts.Findings.end());
  }
  LinkContext Link(Analysed, R.Findings);
  if (!ParseOnly)
    for (const LinkAnalysis &A : linkAnalyses())
      A.Run(Link);
  // SNAG_STATS=1: where the time went (bench/check reads this line).
  if (const char *Stats = std::getenv("SNAG_STATS"); Stats && *Stats == '1') {
    using Seconds = std::chrono::duration<double>;
    double Parse = Seconds(LinkStart - ParseStart).count();
    double Linking = Seconds(std::chrono::steady_clock::now() - LinkStart).count();
    errs() << "snag: stats: units " << Outcomes.size() << " cached " << Cached
           << " parse+extract " << format("%.3f", Parse) << " s link "
           << format("%.3f", Linking) << " s\n";
  }

  // The configuration of the file a finding points at decides whether its
  // rule runs there, as with per-TU rules.
  std::erase_if(R.Findings, [&](const Finding &F) {
    auto Cfg = Configs.forFile(F.Where.File);
    if (!Cfg) {
      consumeError(Cfg.takeError());
      return false;
    }
    return !(*Cfg)->ruleEnabled(F.RuleId) || (*Cfg)->skips(F.Where.File);
  });
  NolintFilter().apply(R.Findings);
  R.normalize();
  if (!WriteBaseline.empty()) {
    std::string Err;
    if (!writeBaseline(R, WriteBaseline, Err))
      return fail(Err);
  }
  if (!Baseline.empty()) {
    std::string Err;
    if (!applyBaseline(R, Baseline, Err))
      return fail(Err);
  }
  if (!emitReport(R, *Fmt, Output))
    return 2;

  if (!Quiet) {
    raw_ostream &OS = errs();
    OS << "snag: " << R.Findings.size()
       << (R.Findings.size() == 1 ? " finding" : " findings") << " in "
       << R.UnitsAnalysed << (R.UnitsAnalysed == 1 ? " file" : " files");
    if (Cached)
      OS << " (" << Cached << " from cache)";
    if (R.UnitsFailed)
      OS << "; " << R.UnitsFailed << (R.UnitsFailed == 1 ? " file" : " files")
         << " could not be analysed";
    OS << '\n';
  }
  return exitStatusFor(R);
}

} // namespace snag
