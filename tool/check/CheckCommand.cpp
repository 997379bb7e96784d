//===- CheckCommand.cpp - The `snag check` subcommand ---------------------===//
#include "check/CheckCommand.h"
#include "Version.h"
#include "check/Analyses.h"
#include "check/Cache.h"
#include "check/ChangedLines.h"
#include "check/Driver.h"
#include "check/FactsMerge.h"
#include "check/Focus.h"
#include "check/LockImports.h"
#include "check/Sources.h"
#include "check/UnitProcess.h"
#include "report/Suppressions.h"
#include "report/Writers.h"
#include "rules/Rules.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstring>
#include <sys/resource.h>

using namespace llvm;

namespace snag {

void printRuleList(raw_ostream &OS) {
  for (const RuleInfo &R : allRules())
    OS << formatv("{0,-28} {1,-11} {2}\n", R.Id, "[" + R.FoundBy.str() + "]",
                  R.Summary);
}

namespace {

/// --color, decided once the options are read: messages on stderr follow it.
std::optional<bool> ColorChoice;

bool stderrColor(const raw_ostream &) { return useColor(errs(), ColorChoice); }

int fail(const Twine &Message) {
  WithColor::error(errs(), "snag") << Message << '\n';
  return 2;
}

/// LLVM's parser reads an unknown option that starts like a prefix option
/// as that option (`--header-foo` as `-h`, help): every option we are given
/// must be one we declared, or one of the prefix forms -pDIR and -jN.
/// Returns the first unknown one.
std::optional<std::string> unknownOption(ArrayRef<const char *> Args) {
  StringMap<cl::Option *> &Known = cl::getRegisteredOptions();
  for (size_t I = 0; I < Args.size(); ++I) {
    StringRef Arg = Args[I];
    if (!Arg.starts_with("-") || Arg == "-")
      continue;
    StringRef Name = Arg.drop_while([](char C) { return C == '-'; });
    auto [Key, Value] = Name.split('=');
    if (Key == "h") // LLVM's alias of --help, added when parsing starts
      continue;
    auto It = Known.find(Key);
    if (It != Known.end()) {
      // A value given as the next argument may itself start with '-'
      // (--extra-arg -DX).
      if (!Name.contains('=') &&
          It->second->getValueExpectedFlag() == cl::ValueRequired)
        ++I;
      continue;
    }
    if (!Arg.starts_with("--") && (Name.starts_with("p") || Name.starts_with("j")))
      continue;
    return Arg.str();
  }
  return std::nullopt;
}

/// The name of the closest declared option, for a did-you-mean.
std::string nearestOption(StringRef Arg, cl::OptionCategory &Category) {
  StringRef Name = Arg.drop_while([](char C) { return C == '-'; }).split('=').first;
  std::string Best;
  unsigned BestDistance = ~0u;
  for (auto &KV : cl::getRegisteredOptions()) {
    if (!is_contained(KV.second->Categories, &Category) || KV.first().size() < 2)
      continue;
    unsigned D = Name.edit_distance(KV.first());
    if (D < BestDistance) {
      BestDistance = D;
      Best = KV.first().str();
    }
  }
  return BestDistance <= std::max<size_t>(2, Name.size() / 3) ? Best : "";
}

/// Which findings make the exit status 1.
enum class FailOn { Warning, Error, None };

} // namespace

int checkMain(int argc, const char **argv) {
  // LLVM declares a boolean --color for its own messages; snag's --color
  // takes auto, always or never, as clang-tidy users type it.
  if (cl::Option *LLVMColor = cl::getRegisteredOptions().lookup("color"))
    LLVMColor->removeArgument();

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
  static cl::opt<unsigned> StackMiB(
      "unit-stack-mib", cl::Hidden, cl::init(256),
      cl::desc("Stack of each file's thread, in MiB (tests use a small one)"),
      cl::cat(Category));
  static cl::opt<int> ChildUnit(
      ChildUnitOption, cl::Hidden, cl::init(-1),
      cl::desc("Analyse only this unit, for a parent snag process"),
      cl::cat(Category));
  static cl::opt<std::string> ChildResult(
      ChildResultOption, cl::Hidden,
      cl::desc("Where a child process writes its unit's outcome"),
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
  static cl::opt<bool> NoCache(
      "no-cache", cl::desc("Analyse every file afresh: read neither the cache "
                           "nor the facts `snag facts` wrote in the build"),
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
  static cl::opt<bool> Verbose(
      "verbose", cl::desc("Say which databases are used and which compiler "
                          "flags were dropped"),
      cl::cat(Category));
  static cl::opt<std::string> RulesOpt(
      "rules", cl::desc("Rules to run, comma-separated globs read after "
                        ".snag.yaml's (-*,missing-join)"),
      cl::value_desc("globs"), cl::cat(Category));
  static cl::opt<std::string> ConfigFile(
      "config-file", cl::desc("Use this configuration file for every file "
                              "instead of the .snag.yaml found upward"),
      cl::value_desc("file"), cl::cat(Category));
  static cl::opt<bool> DumpConfig(
      "dump-config", cl::desc("Print the configuration that applies to the "
                              "first path (or the working folder) and exit"),
      cl::cat(Category));
  static cl::opt<std::string> HeaderFilter(
      "header-filter", cl::desc("Show findings in headers only when their path "
                                "matches this regular expression"),
      cl::value_desc("regex"), cl::cat(Category));
  static cl::opt<std::string> Exclude(
      "exclude", cl::desc("Neither analyse nor report files matching these "
                          "comma-separated globs"),
      cl::value_desc("globs"), cl::cat(Category));
  static cl::opt<std::string> DiffFile(
      "diff", cl::desc("Report only findings on lines this unified diff adds "
                       "or changes ('-': stdin)"),
      cl::value_desc("file"), cl::cat(Category));
  static cl::opt<std::string> GitRef(
      "lines-from-git", cl::desc("Report only findings on lines changed since "
                                 "this git ref (origin/main, HEAD~1)"),
      cl::value_desc("ref"), cl::cat(Category));
  static cl::opt<std::string> Color(
      "color", cl::desc("Colours: auto, always or never (default: auto, off "
                        "when NO_COLOR is set)"),
      cl::init("auto"), cl::value_desc("when"), cl::cat(Category));
  static cl::list<std::string> ExtraArg(
      "extra-arg", cl::desc("Add this flag to every compile command"),
      cl::value_desc("flag"), cl::cat(Category));
  static cl::list<std::string> ExtraArgBefore(
      "extra-arg-before",
      cl::desc("Add this flag to every compile command, before its own flags"),
      cl::value_desc("flag"), cl::cat(Category));
  static cl::opt<bool> ExitZero(
      "exit-zero", cl::desc("Exit 0 even when there are findings (same as "
                            "--fail-on=none)"),
      cl::cat(Category));
  static cl::opt<std::string> FailOnName(
      "fail-on", cl::desc("Which findings make the exit status 1: warning "
                          "(any), error, or none (default: warning)"),
      cl::init("warning"), cl::value_desc("level"), cl::cat(Category));
  static cl::opt<std::string> WriteFocus(
      "write-focus", cl::desc("Write a ThreadSanitizer ignore list that keeps only "
                              "the code of race suspects instrumented "
                              "(-fsanitize-ignorelist=)"),
      cl::value_desc("file"), cl::cat(Category));
  static cl::opt<std::string> DocsUrl(
      "docs-url", cl::desc("SARIF helpUri base for rule pages ({id} is "
                           "replaced by the rule id)"),
      cl::value_desc("url"), cl::cat(Category));

  WithColor::setAutoDetectFunction(stderrColor);

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
  if (auto Unknown = unknownOption(ArrayRef(argv + 1, OwnArgs - 1))) {
    std::string Near = nearestOption(*Unknown, Category);
    return fail("unknown option '" + *Unknown + "'" +
                (Near.empty() ? "" : "; did you mean '--" + Near + "'?") +
                " (see snag check --help)");
  }
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
          "-pthread and the flags after --.\n\n"
          "Exit status: 0 nothing found, 1 findings, 2 snag could not do its "
          "job.\n",
          &ErrOS)) {
    ErrOS.flush();
    errs() << Errors;
    return 2;
  }

  auto ColorMode = StringSwitch<std::optional<std::optional<bool>>>(Color)
                       .Case("auto", std::optional<bool>())
                       .Case("always", true)
                       .Case("never", false)
                       .Default(std::nullopt);
  if (!ColorMode)
    return fail("unknown --color '" + Color + "' (expected auto, always or never)");
  ColorChoice = *ColorMode;
  errs().enable_colors(useColor(errs(), ColorChoice));

  if (ListRules) {
    printRuleList(outs());
    return 0;
  }
  std::optional<Format> Fmt = parseFormat(FormatName);
  if (!Fmt)
    return fail("unknown --format '" + FormatName + "' (expected text, json, sarif or html)");
  auto FailOnLevel = StringSwitch<std::optional<FailOn>>(FailOnName)
                         .Case("warning", FailOn::Warning)
                         .Case("error", FailOn::Error)
                         .Case("none", FailOn::None)
                         .Default(std::nullopt);
  if (!FailOnLevel)
    return fail("unknown --fail-on '" + FailOnName +
                "' (expected warning, error or none)");
  if (ExitZero)
    FailOnLevel = FailOn::None;
  std::vector<std::string> RuleSelectors = splitRuleList(RulesOpt);
  if (RulesOpt.getNumOccurrences() && RuleSelectors.empty())
    return fail("--rules names no rule");
  for (const std::string &Sel : RuleSelectors)
    if (std::string Bad = checkRuleSelector(Sel); !Bad.empty())
      return fail("--rules: " + Bad);
  std::optional<Regex> HeaderRegex;
  if (HeaderFilter.getNumOccurrences()) {
    HeaderRegex.emplace(HeaderFilter);
    std::string Why;
    if (!HeaderRegex->isValid(Why))
      return fail("--header-filter '" + HeaderFilter + "': " + Why);
  }
  std::vector<std::string> ExcludeGlobs = splitRuleList(Exclude);
  if (!DiffFile.empty() && !GitRef.empty())
    return fail("--diff and --lines-from-git both choose lines: give one");
  if (!ConfigFile.empty() && !sys::fs::is_regular_file(ConfigFile))
    return fail("--config-file '" + ConfigFile + "': no such file");

  ConfigFinder Configs(ConfigFile, RuleSelectors);
  if (DumpConfig) {
    SmallString<256> Where(Paths.empty() ? "." : Paths.front());
    sys::fs::make_absolute(Where);
    if (sys::fs::is_directory(Where))
      sys::path::append(Where, "file.cpp"); // the folder's configuration
    auto Cfg = Configs.forFile(Where);
    if (!Cfg)
      return fail(toString(Cfg.takeError()));
    outs() << "# " << ((*Cfg)->Path.empty() ? "snag's defaults" : (*Cfg)->Path)
           << (RuleSelectors.empty() ? "" : ", with --rules") << '\n';
    printConfig(**Cfg, outs());
    return 0;
  }

  if (Paths.empty() && BuildDir.empty())
    return fail("no input: name a file or a folder, or a build folder with -p "
                "(see snag check --help)");

  // The changed lines are read before the analysis: a bad ref should not
  // cost a whole run.
  std::optional<ChangedLines> Changed;
  if (ChildUnit < 0 && (!DiffFile.empty() || !GitRef.empty())) {
    auto Lines = DiffFile.empty() ? ChangedLines::fromGit(GitRef)
                                  : ChangedLines::fromDiffFile(DiffFile);
    if (!Lines)
      return fail(toString(Lines.takeError()));
    Changed = std::move(*Lines);
  }

  SourceRequest Req;
  Req.Paths.assign(Paths.begin(), Paths.end());
  Req.BuildDir = BuildDir;
  Req.ExtraFlags = ExtraFlags;
  Req.FlagsGiven = OwnArgs != argc;
  Req.ExtraArgs.assign(ExtraArg.begin(), ExtraArg.end());
  Req.ExtraArgsBefore.assign(ExtraArgBefore.begin(), ExtraArgBefore.end());
  Req.Exclude = ExcludeGlobs;
  Expected<SourcePlan> Plan = planSources(Req);
  if (!Plan)
    return fail(toString(Plan.takeError()));
  bool IsChild = ChildUnit >= 0;
  if (IsChild != !ChildResult.empty())
    return fail("--internal-unit and --internal-result go together");
  if (Verbose && !IsChild) {
    for (const std::string &DB : Plan->Databases)
      errs() << "snag: note: compile commands from " << DB << '\n';
    for (const std::string &Note : Plan->Notes)
      errs() << "snag: note: " << Note << '\n';
  }
  if (Plan->Units.empty() && Plan->Errors.empty())
    return fail("no C or C++ source to analyse");

  std::string CachePath = CacheDir.empty() ? FactsCache::defaultDir() : CacheDir;
  std::optional<FactsCache> Cache;
  if (!NoCache)
    Cache.emplace(CachePath); // without a folder: keys for the build's facts

  DriverOptions Opts;
  Opts.Jobs = Jobs;
  Opts.Cache = Cache ? &*Cache : nullptr;
  Opts.BuildFacts = !NoCache;
  Opts.Progress = !Quiet && sys::Process::StandardErrIsDisplayed();
  Opts.ParseOnly = ParseOnly;
  Opts.StackMiB = std::max(1u, unsigned(StackMiB));
  if (ParseOnly)
    Opts.Cache = nullptr;
  if (IsChild) {
    // A parent snag process asks for one unit's outcome, as JSON.
    if (size_t(ChildUnit) >= Plan->Units.size())
      return fail("--internal-unit " + Twine(int(ChildUnit)) + " names no unit");
    Opts.Jobs = 1;
    Opts.Progress = false;
    std::vector<UnitOutcome> One =
        analyseUnits({Plan->Units[ChildUnit]}, Configs, Opts);
    bool Written = writeChildOutcome(One.front(), ChildResult);
    outs().flush();
    errs().flush();
    std::_Exit(Written ? 0 : 2);
  }
  Opts.ChildArgs.assign(argv + 1, argv + argc);
  // The facts of a function that several TUs define are held once.
  FactsMerger Merger(Plan->Units, /*KeepSymbols=*/!WriteFocus.empty());
  if (!ParseOnly)
    Opts.Merger = &Merger;
  auto ParseStart = std::chrono::steady_clock::now();
  std::vector<UnitOutcome> Outcomes = analyseUnits(Plan->Units, Configs, Opts);
  if (!ParseOnly) {
    unsigned Again = resolveLockImports(Plan->Units, Outcomes, Configs, Opts);
    if (std::getenv("SNAG_STATS"))
      errs() << "snag: stats: units " << Plan->Units.size()
             << " analysed again for lock functions " << Again << "\n";
  }
  if (!ParseOnly)
    Merger.finish();
  auto LinkStart = std::chrono::steady_clock::now();

  // After a crash, the recovered unit's leftovers (objects that lived on its
  // thread's stack, linked into LLVM's global lists) make LLVM's shutdown
  // crash: leave without it, once everything is written.
  bool AnyCrashed = any_of(Outcomes, [](const UnitOutcome &O) { return O.Crashed; });
  auto Finish = [&](int Status) {
    if (AnyCrashed) {
      outs().flush();
      errs().flush();
      std::_Exit(Status);
    }
    return Status;
  };

  Report R;
  R.Command = "check";
  for (const std::string &E : Plan->Errors)
    R.Errors.push_back(ToolError{"", E});
  std::vector<const TUFacts *> Analysed;
  unsigned Cached = 0, FromBuild = 0, Parsed = 0;
  bool BuildFactsSeen = false;
  for (UnitOutcome &O : Outcomes) {
    BuildFactsSeen |= O.BuildFactsSeen;
    if (!O.BuildFailure.empty() && !Quiet)
      WithColor::note(errs(), "snag")
          << "the build could not extract the facts of " << O.Facts.MainFile
          << " (" << O.BuildFailure << "); parsing it here\n";
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
    FromBuild += O.FromBuild;
    Parsed += !O.FromCache && !O.FromBuild;
    Analysed.push_back(&O.Facts);
    R.Findings.insert(R.Findings.end(), O.Facts.Findings.begin(),
                      O.Facts.Findings.end());
  }
  // The link step reads the units in path order, whatever order they were
  // named in: where two units hold the same function, the same copy wins.
  {
    std::vector<std::pair<const TUFacts *, size_t>> Order;
    for (size_t I = 0; I < Analysed.size(); ++I)
      Order.push_back({Analysed[I], I});
    llvm::sort(Order, [](const auto &A, const auto &B) {
      return std::tie(A.first->MainFile, A.second) < std::tie(B.first->MainFile, B.second);
    });
    for (size_t I = 0; I < Order.size(); ++I)
      Analysed[I] = Order[I].first;
  }
  LinkContext Link(Analysed, R.Findings);
  if (!ParseOnly)
    for (const LinkAnalysis &A : linkAnalyses())
      A.Run(Link);
  for (const std::string &N : Link.Notes)
    WithColor::warning(errs(), "snag") << N << "\n";
  // Every race suspect counts, before any filter: rule configuration,
  // NOLINT and baselines choose what is shown, not what may race.
  if (!WriteFocus.empty()) {
    std::error_code EC;
    raw_fd_ostream OS(WriteFocus, EC, sys::fs::OF_Text);
    if (!EC) {
      writeFocusList(OS, Link, R.Findings);
      OS.close();
      EC = OS.error();
      OS.clear_error();
    }
    if (EC)
      return Finish(fail("cannot write the focus list '" + WriteFocus +
                         "': " + EC.message()));
  }
  // SNAG_STATS=1: where the time went (bench/check reads this line).
  if (const char *Stats = std::getenv("SNAG_STATS"); Stats && *Stats == '1') {
    using Seconds = std::chrono::duration<double>;
    double Parse = Seconds(LinkStart - ParseStart).count();
    double Linking = Seconds(std::chrono::steady_clock::now() - LinkStart).count();
    errs() << "snag: stats: units " << Outcomes.size() << " cached " << Cached
           << " parse+extract " << format("%.3f", Parse) << " s link "
           << format("%.3f", Linking) << " s build-facts " << FromBuild << '\n';
    FactsMerger::Counts C = Merger.counts();
    struct rusage Usage;
    getrusage(RUSAGE_SELF, &Usage);
    errs() << "snag: stats: link " << format("%.3f", Linking)
           << " s function facts kept " << C.Kept << " of "
           << C.Kept + C.Dropped << " peak-rss "
           << format("%.0f", Usage.ru_maxrss / 1024.0) << " MiB\n";
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

  // Which files' findings are shown: --exclude, --header-filter (a file that
  // is not one of the analysed sources is a header), --diff.
  StringSet<> MainFiles;
  for (const Unit &U : Plan->Units)
    MainFiles.insert(U.File);
  std::erase_if(R.Findings, [&](const Finding &F) {
    if (isExcluded(F.Where.File, ExcludeGlobs))
      return true;
    if (HeaderRegex && !MainFiles.contains(F.Where.File) &&
        !HeaderRegex->match(F.Where.File))
      return true;
    return Changed && !Changed->contains(F.Where);
  });

  NolintFilter Nolint;
  // A NOLINT that names a rule that does not exist silences nothing: say so.
  StringSet<> NolintChecked;
  auto CheckNolint = [&](StringRef File) {
    if (File.empty() || !NolintChecked.insert(File).second)
      return;
    for (const std::string &W : Nolint.checkNames(File))
      errs() << W << '\n';
  };
  for (const Unit &U : Plan->Units)
    CheckNolint(U.File);
  for (const Finding &F : R.Findings)
    CheckNolint(F.Where.File);
  Nolint.apply(R.Findings);
  R.normalize();
  if (!WriteBaseline.empty()) {
    std::string Err;
    if (!writeBaseline(R, WriteBaseline, Err))
      return Finish(fail(Err));
  }
  if (!Baseline.empty()) {
    std::string Err;
    if (!applyBaseline(R, Baseline, Err))
      return Finish(fail(Err));
  }
  WriteOptions WOpts;
  WOpts.Color = ColorChoice;
  WOpts.DocsUrl = DocsUrl;
  if (!emitReport(R, *Fmt, Output, WOpts))
    return Finish(2);

  // Why snag could not do its job is always said on stderr, whatever the
  // report's format and destination.
  bool ReportOnStderr = *Fmt == Format::Text && (Output.empty() || Output == "-");
  if (!ReportOnStderr)
    for (const ToolError &E : R.Errors) {
      if (!E.File.empty()) {
        errs() << E.File;
        if (E.Line)
          errs() << ':' << E.Line << ':' << std::max(E.Column, 1u);
        errs() << ": ";
      }
      WithColor::error(errs(), E.File.empty() ? "snag" : "") << E.Message << '\n';
    }

  if (!Quiet) {
    raw_ostream &OS = errs();
    OS << "snag: " << R.Findings.size()
       << (R.Findings.size() == 1 ? " finding" : " findings") << " in "
       << R.UnitsAnalysed << (R.UnitsAnalysed == 1 ? " file" : " files");
    // Where the facts came from: the build's (`snag facts`), the cache,
    // or a parse here.
    if (BuildFactsSeen) {
      OS << " (" << FromBuild << " read from build facts";
      if (Cached)
        OS << ", " << Cached << " from cache";
      OS << ", " << Parsed << " parsed)";
    } else if (Cached) {
      OS << " (" << Cached << " from cache)";
    }
    if (R.UnitsFailed)
      OS << "; " << R.UnitsFailed << (R.UnitsFailed == 1 ? " file" : " files")
         << " could not be analysed";
    OS << '\n';
  }
  if (!R.Errors.empty() || R.UnitsFailed)
    return Finish(2);
  bool Fails = any_of(R.Findings, [&](const Finding &F) {
    return *FailOnLevel == FailOn::Warning ||
           (*FailOnLevel == FailOn::Error && F.Level == Severity::Error);
  });
  return Finish(Fails ? 1 : 0);
}

} // namespace snag
