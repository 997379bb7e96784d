//===- RunCommand.cpp - The `snag run` subcommand -------------------------===//
//
// Runs a program with libsnag_rt.so preloaded, waits for it, then reads the
// per-process report files the runtime wrote, symbolizes them and prints
// the findings. The program's own output is left alone.
//
//===----------------------------------------------------------------------===//
#include "run/RunCommand.h"
#include "report/Writers.h"
#include "report/Suppressions.h"
#include "run/Collect.h"
#include "run/Records.h"
#include "run/ReportFolder.h"
#include "run/RuntimeSuppressions.h"
#include "run/Coverage.h"
#include "run/StaticConfirm.h"
#include "run/TsanBuild.h"
#include "run/TsanMerge.h"
#include "runtime/OptionCheck.h"
#include "runtime/SnagRecord.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace llvm;

namespace snag {

namespace {

struct RuntimeOption {
  const char *Name;
  const char *Type;
  const char *Default;
  long Min, Max;
  const char *Help;
};

#define SNAG_OPTION_DEFAULT_bool(V) #V
#define SNAG_OPTION_DEFAULT_int(V) #V
#define SNAG_OPTION_DEFAULT_string(V) V
const RuntimeOption RuntimeOptions[] = {
#define SNAG_OPTION(Type, Name, Default, Min, Max, Help)                       \
  {#Name, #Type, SNAG_OPTION_DEFAULT_##Type(Default), Min, Max, Help},
#include "runtime/Options.def"
};

/// snag run's exit statuses, as the sanitizers and timeout/env have them.
enum RunStatus : int {
  DefaultFindingsStatus = 66, // ThreadSanitizer's
  SnagFailed = 125,
  CannotRun = 126,
  NotFound = 127,
};

std::string shownDefault(const RuntimeOption &O) {
  StringRef D = O.Default;
  if (StringRef(O.Type) == "bool")
    return D == "true" ? "1" : "0";
  return D.empty() ? "(empty)" : D.str();
}

/// The help text, with the accepted range of an int option.
std::string optionHelp(const RuntimeOption &O) {
  std::string H = O.Help;
  if (StringRef(O.Type) == "int")
    H += " (" + std::to_string(O.Min) + " to " + std::to_string(O.Max) + ")";
  return H;
}

std::string runtimeOptionsHelp() {
  std::string S = "\nRuntime options (SNAG_OPTIONS=key=value:key=value, or "
                  "--option key=value):\n";
  for (const RuntimeOption &O : RuntimeOptions)
    S += "  " + std::string(O.Name) + "=" + shownDefault(O) + "\n      " + optionHelp(O) + "\n";
  S += "\nExit status:\n"
       "  the program's own  snag found nothing (128+N when signal N ended it)\n"
       "  66                 snag found something (--exitcode N)\n"
       "  125                snag failed: bad options, a report it could not write,\n"
       "                     or no process of the program was observed\n"
       "  126                the program cannot be run\n"
       "  127                the program was not found\n";
  return S;
}

/// The table in docs/run.md, generated from runtime/Options.def.
void printOptionsTable(raw_ostream &OS) {
  OS << "| option | default | what it does |\n|---|---|---|\n";
  for (const RuntimeOption &O : RuntimeOptions)
    OS << "| `" << O.Name << "` | `" << shownDefault(O) << "` | " << optionHelp(O) << " |\n";
}

int fail(const Twine &Message, int Status = SnagFailed) {
  errs() << "snag run: error: " << Message << "\n";
  return Status;
}

/// Checks "key=value:key=value" as the runtime will; an error names the
/// item and lists the options.
std::optional<std::string> checkRuntimeOptions(StringRef Text, StringRef From) {
  SmallVector<StringRef, 8> Items;
  Text.split(Items, ':', -1, /*KeepEmpty=*/false);
  for (StringRef Item : Items) {
    const rt::OptionSpec *Spec;
    std::string Why;
    switch (rt::checkOptionItem(Item.data(), Item.size(), Spec)) {
    case rt::OptionProblem::None:
      continue;
    case rt::OptionProblem::Unknown:
      Why = "unknown runtime option";
      break;
    case rt::OptionProblem::NoValue:
      Why = "no value for runtime option";
      break;
    case rt::OptionProblem::BadBool:
      Why = "expected 0 or 1 for runtime option";
      break;
    case rt::OptionProblem::BadInt:
      Why = "expected a whole number from " + std::to_string(Spec->Min) + " to " +
            std::to_string(Spec->Max) + " for runtime option";
      break;
    }
    std::vector<std::string> Names;
    for (const rt::OptionSpec &S : rt::OptionSpecs)
      Names.push_back(S.Name);
    return Why + " '" + Item.str() + "' (in " + From.str() + "); the options are: " +
           join(Names, ", ");
  }
  return std::nullopt;
}

/// The program as execve needs it: as given when it has a slash, else
/// looked up in PATH like a shell does.
std::string findProgram(StringRef Name) {
  if (Name.contains('/'))
    return sys::fs::exists(Name) ? Name.str() : "";
  auto Found = sys::findProgramByName(Name);
  return Found ? *Found : "";
}

/// snag run --static: whether each suspect's code ran, from the coverage
/// the run left in \p CoverageDir; without any, why not.
void classifyStatic(StaticCrossCheck &S, const std::optional<std::string> &CoverageDir,
                    StringRef UserTsanOptions, const std::vector<run::ProcessRecord> &Processes,
                    std::vector<std::string> &Problems) {
  RunCoverage Cov;
  if (CoverageDir)
    Cov = readCoverageFolder(*CoverageDir);
  append_range(Problems, Cov.Problems);
  S.Coverage = !Cov.Offsets.empty();
  if (!S.Coverage) {
    S.NoCoverageWhy =
        UserTsanOptions.contains("coverage_dir")
            ? "TSAN_OPTIONS sets coverage_dir, so snag leaves coverage to the user"
            : "the run left no coverage; build with -fsanitize-coverage=trace-pc-guard "
              "(and -fsanitize-coverage-allowlist= the focus list) to count suspects "
              "refuted and not reached";
    return;
  }
  std::map<std::string, std::set<std::string>> Binaries;
  for (const run::ProcessRecord &P : Processes)
    if (!P.Executable.empty())
      Binaries[sys::path::filename(P.Executable).str()].insert(P.Executable);
  classifyReach(S.Suspects, Cov, Binaries, Problems);
}

/// Whether \p Path is an ELF executable with no program interpreter, which
/// no LD_PRELOAD can reach.
bool isStaticElf(StringRef Path) {
  auto Buf = MemoryBuffer::getFileSlice(Path, 1 << 16, 0);
  if (!Buf)
    return false;
  StringRef Data = (*Buf)->getBuffer();
  if (!Data.starts_with("\x7f" "ELF") || Data.size() < 64 || Data[4] != 2 /* 64-bit */)
    return false;
  auto File = object::ELF64LEFile::create(Data);
  if (!File) {
    consumeError(File.takeError());
    return false;
  }
  if (File->getHeader().e_phoff + uint64_t(File->getHeader().e_phnum) *
                                      File->getHeader().e_phentsize > Data.size())
    return false;
  auto Headers = File->program_headers();
  if (!Headers) {
    consumeError(Headers.takeError());
    return false;
  }
  for (const auto &P : *Headers)
    if (P.p_type == ELF::PT_INTERP || P.p_type == ELF::PT_DYNAMIC)
      return false;
  return true;
}

std::string runtimeLibrary() {
  std::string Exe = sys::fs::getMainExecutable(nullptr, reinterpret_cast<void *>(&runtimeLibrary));
  SmallString<256> Path(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(Path, "lib", "libsnag_rt.so");
  return std::string(Path);
}

std::string signalName(int Sig) {
  const char *Abbrev = sigabbrev_np(Sig);
  return Abbrev ? std::string("SIG") + Abbrev : "signal " + std::to_string(Sig);
}

/// Why the runtime was likely not loaded into \p Path (resolved as the
/// exec'ing process would have, when it can be). \p Static is set for a
/// statically linked program, which no one can analyse this way.
std::string whyNotObserved(StringRef Path, bool EnvironmentPreloads, bool &Static) {
  std::string Resolved = findProgram(Path);
  struct stat St;
  Static = false;
  if (!Resolved.empty() && stat(Resolved.c_str(), &St) == 0) {
    if (St.st_mode & (S_ISUID | S_ISGID))
      return "it is a set-user-ID or set-group-ID program, and the loader "
             "ignores LD_PRELOAD for those";
    if (isStaticElf(Resolved)) {
      Static = true;
      return "it is statically linked, and nothing can be preloaded into a "
             "static program";
    }
  }
  if (!EnvironmentPreloads)
    return "its environment had no LD_PRELOAD of snag's runtime (env -i, or "
           "a program that clears the environment)";
  return "it cleared LD_PRELOAD or SNAG_OPTIONS, or runs as another user, "
         "whom snag's private report folder does not admit";
}

// Signals snag run forwards to the program; the program's pid while it runs.
constexpr int ForwardedSignals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
volatile sig_atomic_t ChildPid = 0;
volatile sig_atomic_t PendingSignal = 0;

void forwardSignal(int Sig, siginfo_t *Info, void *) {
  // A terminal's Ctrl-C or hangup already reached the program (it shares
  // snag's process group); a signal sent to snag alone (kill, a CI
  // runner's timeout) is passed on.
  if (Info && Info->si_code == SI_KERNEL)
    return;
  if (ChildPid > 0)
    kill(ChildPid, Sig);
  else
    PendingSignal = Sig;
}

} // namespace

int runMain(int argc, const char **argv) {
  // Split at the first "--": snag run's options before it, the program after.
  std::vector<const char *> Own{argv[0]};
  std::vector<std::string> Program;
  bool SawDashes = false;
  for (int I = 1; I < argc; ++I) {
    if (!SawDashes && StringRef(argv[I]) == "--") {
      SawDashes = true;
      continue;
    }
    if (SawDashes)
      Program.push_back(argv[I]);
    else
      Own.push_back(argv[I]);
  }

  static cl::OptionCategory Category("snag run options");
  static cl::opt<std::string> FormatName(
      "format",
      cl::desc("Report format: text (to stderr, or -o), json, sarif or html (need -o)"),
      cl::init("text"), cl::cat(Category));
  static cl::opt<std::string> OutputPath("o", cl::desc("Write the report to this file"),
                                         cl::value_desc("file"), cl::cat(Category));
  static cl::list<std::string> ExtraOptions(
      "option", cl::desc("A runtime option, key=value (added to SNAG_OPTIONS)"),
      cl::value_desc("key=value"), cl::cat(Category));
  static cl::opt<bool> KeepReports("keep-reports",
                                   cl::desc("Keep the per-process report files and say where"),
                                   cl::cat(Category));
  static cl::opt<int> FindingsExitCode(
      "exitcode", cl::desc("Exit status when snag finds something (default 66)"),
      cl::init(DefaultFindingsStatus), cl::value_desc("N"), cl::cat(Category));
  static cl::opt<std::string> BaselinePath(
      "baseline", cl::desc("Report only findings not in this baseline file"),
      cl::value_desc("file"), cl::cat(Category));
  static cl::opt<std::string> WriteBaselinePath(
      "write-baseline", cl::desc("Record this run's findings as a baseline file"),
      cl::value_desc("file"), cl::cat(Category));
  static cl::opt<std::string> SuppressionsPath(
      "suppressions", cl::desc("Drop findings matching RULE:PATTERN lines of this file"),
      cl::value_desc("file"), cl::cat(Category));
  // ThreadSanitizer: confirmations of snag check's findings (see docs/run.md).
  static cl::opt<std::string> StaticLog(
      "static", cl::desc("Mark findings that confirm this snag check SARIF log's"),
      cl::value_desc("file.sarif"), cl::cat(Category));
  static cl::opt<bool> Profile(
      "profile",
      cl::desc("Add a lock contention profile: per lock, acquisitions, waits and holds; "
               "the call sites that waited longest (text, json, html)"),
      cl::cat(Category));
  static cl::opt<bool> OptionsTable("options-table", cl::Hidden,
                                    cl::desc("Print the runtime options as a Markdown table"));
  static cl::list<std::string> Positional(cl::Positional, cl::desc("PROGRAM ARGS..."),
                                          cl::cat(Category));
  // extrahelp keeps a reference: the text must outlive it.
  static const std::string RuntimeHelpText = runtimeOptionsHelp();
  static cl::extrahelp RuntimeHelp(RuntimeHelpText.c_str());

  cl::HideUnrelatedOptions(Category);
  if (!cl::ParseCommandLineOptions(static_cast<int>(Own.size()), Own.data(),
                                   "snag run: run a program and report its lock and "
                                   "thread bugs\n\n  snag run [options] -- PROGRAM ARGS...\n",
                                   &errs()))
    return SnagFailed;
  if (OptionsTable) {
    printOptionsTable(outs());
    return 0;
  }
  // Without "--", the first positional starts the program.
  if (!SawDashes)
    Program.assign(Positional.begin(), Positional.end());
  else if (!Positional.empty())
    return fail("unexpected '" + Positional.front() + "' before '--'");
  if (Program.empty())
    return fail("no program to run (snag run [options] -- PROGRAM ARGS...)");
  auto Fmt = parseFormat(FormatName);
  if (!Fmt)
    return fail("unknown format '" + FormatName + "' (text, json, sarif or html)");
  // The program owns stdout and stderr; a machine-read report must not be
  // mixed into them.
  if (*Fmt != Format::Text && (OutputPath.empty() || OutputPath == "-"))
    return fail("--format " + FormatName +
                " needs -o FILE: the program's own output goes to stdout and "
                "stderr, and a report mixed into it would not parse");
  if (Profile && *Fmt == Format::Sarif)
    return fail("--profile needs --format text, json or html: SARIF results are findings, "
                "and a contention profile is none");
  if (FindingsExitCode < 1 || FindingsExitCode > 255)
    return fail("--exitcode takes 1 to 255, not " + Twine(FindingsExitCode.getValue()));

  // Runtime options: checked here, once, before anything runs.
  std::string Options;
  if (const char *UserOptions = getenv(SNAG_OPTIONS_ENV))
    Options = UserOptions;
  if (auto Problem = checkRuntimeOptions(Options, SNAG_OPTIONS_ENV))
    return fail(*Problem);
  for (const std::string &O : ExtraOptions)
    if (auto Problem = checkRuntimeOptions(O, "--option " + O))
      return fail(*Problem);
  // --profile is the profile option; saying both ways differently is a
  // mistake worth a word, not a silent pick.
  if (Profile) {
    std::string All = Options + ":" + join(ExtraOptions, ":");
    for (StringRef Item : split(All, ':'))
      if (Item.trim().starts_with("profile=") && Item.trim() != "profile=1")
        return fail("--profile and '" + Item.trim().str() + "' contradict each other");
  }

  run::RuntimeSuppressions Suppressions;
  if (!SuppressionsPath.empty()) {
    std::string Error;
    if (!Suppressions.load(SuppressionsPath, Error))
      return fail(Error);
  }
  if (!BaselinePath.empty() && !sys::fs::exists(BaselinePath))
    return fail("baseline '" + BaselinePath + "' does not exist (write one with --write-baseline)");

  std::string Path = findProgram(Program[0]);
  if (Path.empty())
    return fail("program '" + Program[0] + "' not found", NotFound);
  if (sys::fs::is_directory(Path) || !sys::fs::can_execute(Path))
    return fail("'" + Program[0] + "' is not an executable program", CannotRun);
  if (isStaticElf(Path))
    return fail("'" + Program[0] +
                    "' is statically linked: snag run preloads its runtime into "
                    "dynamically linked programs only, and a static binary cannot "
                    "be preloaded; link it dynamically (without -static)",
                CannotRun);
  std::string Runtime = runtimeLibrary();
  if (!sys::fs::exists(Runtime))
    return fail("runtime library not found at " + Runtime);

  run::ReportFolder Folder;
  {
    const char *Tmp = getenv("TMPDIR");
    std::string Error;
    if (!Folder.create((Tmp && *Tmp) ? Tmp : "/tmp", Error))
      return fail(Error);
  }
  const std::string &ReportDir = Folder.path();
  // The folder never outlives snag run unless asked to.
  auto Cleanup = make_scope_exit([&] {
    if (KeepReports) {
      errs() << "snag run: report files kept in " << ReportDir << "\n";
      return;
    }
    std::string Error;
    if (!Folder.remove(Error))
      errs() << "snag run: warning: " << Error << "\n";
  });

  // The child's environment: the user's, with our runtime appended to
  // LD_PRELOAD and our options appended to SNAG_OPTIONS.
  std::vector<std::string> Env;
  std::string Preload = Runtime, UserTsanOptions;
  for (char **E = environ; *E; ++E) {
    StringRef Var(*E);
    if (Var.starts_with("LD_PRELOAD=")) {
      StringRef Old = Var.drop_front(strlen("LD_PRELOAD="));
      if (!Old.empty())
        Preload = Old.str() + ":" + Runtime;
    } else if (Var.starts_with("TSAN_OPTIONS=")) {
      UserTsanOptions = Var.drop_front(strlen("TSAN_OPTIONS=")).str();
    } else if (!Var.starts_with(SNAG_OPTIONS_ENV "=")) {
      Env.push_back(Var.str());
    }
  }
  for (const std::string &O : ExtraOptions)
    Options += (Options.empty() ? "" : ":") + O;
  if (Profile)
    Options += (Options.empty() ? "" : ":") + std::string("profile=1");
  Options += (Options.empty() ? "" : ":") + std::string("report_dir=") + ReportDir;
  Env.push_back("LD_PRELOAD=" + Preload);
  Env.push_back(SNAG_OPTIONS_ENV "=" + Options);
  // ThreadSanitizer's reports go to the report folder too (for every
  // process of the tree, TSan build or not: ctest's tests inherit it).
  // With --static, ThreadSanitizer's coverage too (of a build with
  // -fsanitize-coverage): which suspects' code ran.
  std::optional<std::string> CoverageDir;
  if (!StaticLog.empty()) {
    SmallString<256> Dir(ReportDir);
    sys::path::append(Dir, "coverage");
    if (!sys::fs::create_directory(Dir, /*IgnoreExisting=*/false, sys::fs::perms::owner_all))
      CoverageDir = Dir.str().str();
  }
  Env.push_back("TSAN_OPTIONS=" + buildTsanOptions(UserTsanOptions, ReportDir,
                                                   findSymbolizer(), CoverageDir));

  std::vector<char *> ChildArgv, ChildEnv;
  for (std::string &A : Program)
    ChildArgv.push_back(A.data());
  ChildArgv.push_back(nullptr);
  for (std::string &E : Env)
    ChildEnv.push_back(E.data());
  ChildEnv.push_back(nullptr);

  // Signals: TERM, INT, HUP and QUIT sent to snag go to the program, and
  // snag stays to report. SIGPIPE is ignored so that a closed stdout or
  // stderr is an error snag handles (cleaning up), not a silent death.
  struct sigaction Forward = {}, Ignore = {}, OldPipe;
  struct sigaction Old[std::size(ForwardedSignals)];
  Forward.sa_sigaction = forwardSignal;
  Forward.sa_flags = SA_SIGINFO | SA_RESTART;
  sigfillset(&Forward.sa_mask);
  Ignore.sa_handler = SIG_IGN;
  sigset_t Block, Unblocked;
  sigemptyset(&Block);
  for (int Sig : ForwardedSignals)
    sigaddset(&Block, Sig);
  sigprocmask(SIG_BLOCK, &Block, &Unblocked);
  for (size_t I = 0; I < std::size(ForwardedSignals); ++I)
    sigaction(ForwardedSignals[I], &Forward, &Old[I]);
  sigaction(SIGPIPE, &Ignore, &OldPipe);

  // exec's failure comes back through a close-on-exec pipe, so that it is
  // never taken for the program's own exit status.
  int ExecPipe[2];
  if (pipe2(ExecPipe, O_CLOEXEC) != 0)
    return fail("cannot create a pipe: " + Twine(strerror(errno)));
  pid_t Child = fork();
  if (Child == 0) {
    for (size_t I = 0; I < std::size(ForwardedSignals); ++I) {
      struct sigaction Default = {};
      Default.sa_handler = SIG_DFL;
      sigaction(ForwardedSignals[I],
                Old[I].sa_handler == SIG_IGN ? &Old[I] : &Default, nullptr);
    }
    sigaction(SIGPIPE, &OldPipe, nullptr);
    sigprocmask(SIG_SETMASK, &Unblocked, nullptr);
    close(ExecPipe[0]);
    execve(Path.c_str(), ChildArgv.data(), ChildEnv.data());
    int Err = errno;
    (void)!write(ExecPipe[1], &Err, sizeof(Err));
    _exit(127);
  }
  int ForkErr = errno;
  close(ExecPipe[1]);
  if (Child > 0)
    ChildPid = Child;
  int Pending = PendingSignal;
  sigprocmask(SIG_SETMASK, &Unblocked, nullptr);
  if (Child < 0) {
    close(ExecPipe[0]);
    return fail("cannot start a process: " + Twine(strerror(ForkErr)));
  }
  if (Pending)
    kill(Child, Pending);
  int ExecErr = 0;
  ssize_t Got;
  while ((Got = read(ExecPipe[0], &ExecErr, sizeof(ExecErr))) < 0 && errno == EINTR) {
  }
  close(ExecPipe[0]);
  int Status = 0;
  while (waitpid(Child, &Status, 0) < 0 && errno == EINTR) {
  }
  // The forwarding handlers stay: a signal that arrives while snag writes
  // its report finds no program to pass to, and snag finishes (and cleans
  // up) rather than die with the report half written.
  ChildPid = 0;
  if (Got == static_cast<ssize_t>(sizeof(ExecErr)))
    return fail("cannot run '" + Program[0] + "': " + strerror(ExecErr),
                ExecErr == ENOENT ? NotFound : CannotRun);

  std::vector<std::string> ReadErrors;
  std::vector<std::pair<std::string, std::string>> RecordTexts, TsanTexts;
  for (run::FolderFile &F : Folder.read(SNAG_RECORD_PREFIX, ReadErrors))
    RecordTexts.push_back({std::move(F.Name), std::move(F.Text)});
  for (run::FolderFile &F : Folder.read("tsan.", ReadErrors))
    TsanTexts.push_back({std::move(F.Name), std::move(F.Text)});
  std::vector<run::ProcessRecord> Processes = run::parseReportFiles(RecordTexts);
  Report R;
  R.Command = "run";
  std::vector<std::string> WithoutDebugInfo;
  R.Findings = run::collectFindings(Processes, &WithoutDebugInfo);
  R.Profile = run::collectProfile(Processes);
  // ThreadSanitizer's logs, checked against the shim's records; then the
  // confirmations of snag check's findings.
  std::vector<std::string> TsanFailures;
  addTsanFindings(TsanTexts, Processes, R.Findings, errs(), TsanFailures);
  // A crash of ThreadSanitizer's runtime is snag's failure to look, whatever
  // the program's status: what was found before it is still reported.
  for (const std::string &F : TsanFailures)
    R.Errors.push_back({"", "ThreadSanitizer's runtime failed, ending the process "
                                   "(what it would have found after is lost): " + F});
  if (!StaticLog.empty()) {
    auto Static = readStaticSarif(StaticLog);
    if (!Static)
      R.Errors.push_back({StaticLog, toString(Static.takeError())});
    else {
      R.Static.Present = true;
      R.Static.Log = StaticLog;
      R.Static.Suspects = markConfirmations(R.Findings, *Static);
      std::vector<std::string> CoverageProblems;
      classifyStatic(R.Static, CoverageDir, UserTsanOptions, Processes, CoverageProblems);
      // The suspects it concerns stay "not known": a warning, not a failure.
      for (const std::string &P : CoverageProblems)
        errs() << "snag run: warning: " << P << "\n";
    }
  }
  for (const std::string &E : ReadErrors)
    R.Errors.push_back({ReportDir, E});

  // What the program did, for the report.
  R.Run.Present = true;
  int ProgramStatus = 0;
  if (WIFSIGNALED(Status)) {
    int Sig = WTERMSIG(Status);
    R.Run.Signal = signalName(Sig);
    ProgramStatus = 128 + Sig;
  } else if (WIFEXITED(Status)) {
    ProgramStatus = WEXITSTATUS(Status);
    R.Run.ExitStatus = ProgramStatus;
  }
  std::set<int> Pids;
  for (const run::ProcessRecord &P : Processes)
    if (!P.Passive)
      Pids.insert(P.Pid);
  R.Run.Processes = static_cast<unsigned>(Pids.size());

  // Programs the runtime never reached: a run that did not look must not
  // pass for a clean one (a static helper, which nothing can analyse this
  // way, is only named).
  bool Unanalysed = false;
  std::vector<std::pair<std::string, bool>> Unobserved; // message, is an error
  bool Static;
  if (Processes.empty()) {
    std::string Why = whyNotObserved(Path, /*EnvironmentPreloads=*/true, Static);
    Unobserved.push_back({"'" + Program[0] + "' was not observed: " + Why, true});
    Unanalysed = true;
  }
  for (auto [P, E] : run::unobservedExecs(Processes)) {
    std::string Why = whyNotObserved(E->Path, E->Preloaded, Static);
    Unobserved.push_back({"'" + E->Path + "', run by process " + std::to_string(P->Pid) +
                              " (" + sys::path::filename(P->Executable).str() +
                              "), was not observed: " + Why,
                          !Static});
    Unanalysed |= !Static;
  }

  // Every finding has a location (code scanning rejects a SARIF result
  // without one): at worst, the program that was run.
  for (Finding &F : R.Findings)
    if (F.Where.File.empty())
      F.Where.File = Path;

  // Silenced findings: NOLINT on the reported line, the suppressions file,
  // the baseline.
  NolintFilter().apply(R.Findings);
  Suppressions.apply(R.Findings);
  R.normalize();
  if (!WriteBaselinePath.empty()) {
    std::string Error;
    if (!writeBaseline(R, WriteBaselinePath, Error))
      R.Errors.push_back({WriteBaselinePath, Error});
  }
  if (!BaselinePath.empty()) {
    std::string Error;
    if (!applyBaseline(R, BaselinePath, Error))
      R.Errors.push_back({BaselinePath, Error});
  }

  bool Written = emitReport(R, *Fmt, OutputPath);
  for (const run::ProcessRecord &P : Processes)
    if (!P.EndedBy.empty())
      errs() << "snag run: snag ended process " << P.Pid << " ("
             << sys::path::filename(P.Executable) << ") after reporting a " << P.EndedBy
             << ", which it could never have recovered from\n";
  if (!R.Run.Signal.empty())
    errs() << "snag run: the program died by signal " << WTERMSIG(Status) << " ("
           << R.Run.Signal << ")\n";
  for (const std::string &M : WithoutDebugInfo)
    if (any_of(R.Findings, [&](const Finding &F) { return F.Where.File == M; })) {
      errs() << "snag run: note: " << sys::path::filename(M)
             << " has no debug information, so its findings have no source line; "
                "rebuild it with -g for file and line\n";
    }
  for (const auto &[Message, IsError] : Unobserved)
    errs() << "snag run: " << (IsError ? "error: " : "warning: ") << Message << "\n";
  // A closed stderr or stdout (snag run ... | head -1) is a report that
  // did not reach its reader.
  errs().flush();
  bool OutputLost = errs().has_error() || outs().has_error();
  if (OutputLost) {
    errs().clear_error();
    outs().clear_error();
  }

  if (!Written || OutputLost || Unanalysed || !R.Errors.empty())
    return SnagFailed;
  if (!R.Findings.empty())
    return FindingsExitCode;
  return ProgramStatus;
}

} // namespace snag
