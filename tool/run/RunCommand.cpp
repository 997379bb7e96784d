//===- RunCommand.cpp - The `snag run` subcommand -------------------------===//
//
// Runs a program with libsnag_rt.so preloaded, waits for it, then reads the
// per-process report files the runtime wrote, symbolizes them and prints
// the findings. The program's own output is left alone.
//
//===----------------------------------------------------------------------===//
#include "run/RunCommand.h"
#include "report/Writers.h"
#include "run/Collect.h"
#include "run/Records.h"
#include "run/StaticConfirm.h"
#include "run/TsanBuild.h"
#include "run/TsanMerge.h"
#include "runtime/SnagRecord.h"

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
  const char *Help;
};

#define SNAG_OPTION_DEFAULT_bool(V) #V
#define SNAG_OPTION_DEFAULT_int(V) #V
#define SNAG_OPTION_DEFAULT_string(V) V
const RuntimeOption RuntimeOptions[] = {
#define SNAG_OPTION(Type, Name, Default, Help)                                 \
  {#Name, #Type, SNAG_OPTION_DEFAULT_##Type(Default), Help},
#include "runtime/Options.def"
};

std::string shownDefault(const RuntimeOption &O) {
  StringRef D = O.Default;
  if (StringRef(O.Type) == "bool")
    return D == "true" ? "1" : "0";
  return D.empty() ? "(empty)" : D.str();
}

std::string runtimeOptionsHelp() {
  std::string S = "\nRuntime options (SNAG_OPTIONS=key=value:key=value, or "
                  "--option key=value):\n";
  for (const RuntimeOption &O : RuntimeOptions)
    S += "  " + std::string(O.Name) + "=" + shownDefault(O) + "\n      " + O.Help + "\n";
  S += "\nExit status: 0 nothing found, 1 findings, 2 snag could not run the "
       "program; the program's own failing status when snag found nothing.\n";
  return S;
}

/// The table in docs/run.md, generated from runtime/Options.def.
void printOptionsTable(raw_ostream &OS) {
  OS << "| option | default | what it does |\n|---|---|---|\n";
  for (const RuntimeOption &O : RuntimeOptions)
    OS << "| `" << O.Name << "` | `" << shownDefault(O) << "` | " << O.Help << " |\n";
}

int fail(const Twine &Message) {
  errs() << "snag run: error: " << Message << "\n";
  return 2;
}

/// The program as execve needs it: as given when it has a slash, else
/// looked up in PATH like a shell does.
std::string findProgram(StringRef Name) {
  if (Name.contains('/'))
    return sys::fs::exists(Name) ? Name.str() : "";
  auto Found = sys::findProgramByName(Name);
  return Found ? *Found : "";
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
  static cl::opt<std::string> FormatName("format", cl::desc("Report format: text, json or sarif"),
                                         cl::init("text"), cl::cat(Category));
  static cl::opt<std::string> OutputPath("o", cl::desc("Write the report to this file"),
                                         cl::value_desc("file"), cl::cat(Category));
  static cl::list<std::string> ExtraOptions(
      "option", cl::desc("A runtime option, key=value (added to SNAG_OPTIONS)"),
      cl::value_desc("key=value"), cl::cat(Category));
  static cl::opt<bool> KeepReports("keep-reports",
                                   cl::desc("Keep the per-process report files and say where"),
                                   cl::cat(Category));
  // ThreadSanitizer: confirmations of snag check's findings (see docs/run.md).
  static cl::opt<std::string> StaticLog(
      "static", cl::desc("Mark findings that confirm this snag check SARIF log's"),
      cl::value_desc("file.sarif"), cl::cat(Category));
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
    return 2;
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
    return fail("unknown format '" + FormatName + "' (text, json or sarif)");

  std::string Path = findProgram(Program[0]);
  if (Path.empty())
    return fail("program '" + Program[0] + "' not found");
  if (sys::fs::is_directory(Path) || !sys::fs::can_execute(Path))
    return fail("'" + Program[0] + "' is not an executable program");
  if (isStaticElf(Path))
    return fail("'" + Program[0] +
                "' is statically linked: snag run preloads its runtime into "
                "dynamically linked programs only, and a static binary cannot "
                "be preloaded; link it dynamically (without -static)");
  std::string Runtime = runtimeLibrary();
  if (!sys::fs::exists(Runtime))
    return fail("runtime library not found at " + Runtime);

  // A private report folder: mkdtemp makes it 0700 with a name no one else
  // can have chosen.
  SmallString<128> Dir;
  const char *Tmp = getenv("TMPDIR");
  Dir = (Tmp && *Tmp) ? Tmp : "/tmp";
  sys::path::append(Dir, "snag-run.XXXXXX");
  Dir.c_str(); // mkdtemp needs the terminating NUL that SmallString omits
  if (!mkdtemp(Dir.data()))
    return fail("cannot create a report folder in " + Twine(Tmp ? Tmp : "/tmp") + ": " +
                strerror(errno));
  std::string ReportDir(Dir.c_str());

  // The child's environment: the user's, with our runtime appended to
  // LD_PRELOAD and our options appended to SNAG_OPTIONS.
  std::vector<std::string> Env;
  std::string Preload = Runtime, Options, UserTsanOptions;
  for (char **E = environ; *E; ++E) {
    StringRef Var(*E);
    if (Var.starts_with("LD_PRELOAD=")) {
      StringRef Old = Var.drop_front(strlen("LD_PRELOAD="));
      if (!Old.empty())
        Preload = Old.str() + ":" + Runtime;
    } else if (Var.starts_with("TSAN_OPTIONS=")) {
      UserTsanOptions = Var.drop_front(strlen("TSAN_OPTIONS=")).str();
    } else if (Var.starts_with(SNAG_OPTIONS_ENV "=")) {
      Options = Var.drop_front(strlen(SNAG_OPTIONS_ENV "=")).str();
    } else {
      Env.push_back(Var.str());
    }
  }
  for (const std::string &O : ExtraOptions)
    Options += (Options.empty() ? "" : ":") + O;
  Options += (Options.empty() ? "" : ":") + std::string("report_dir=") + ReportDir;
  Env.push_back("LD_PRELOAD=" + Preload);
  Env.push_back(SNAG_OPTIONS_ENV "=" + Options);
  // ThreadSanitizer's reports go to the report folder too (for every
  // process of the tree, TSan build or not: ctest's tests inherit it).
  Env.push_back("TSAN_OPTIONS=" +
                buildTsanOptions(UserTsanOptions, ReportDir, findSymbolizer()));

  std::vector<char *> ChildArgv, ChildEnv;
  for (std::string &A : Program)
    ChildArgv.push_back(A.data());
  ChildArgv.push_back(nullptr);
  for (std::string &E : Env)
    ChildEnv.push_back(E.data());
  ChildEnv.push_back(nullptr);

  // Like system(): a Ctrl-C goes to the program, and snag stays to report.
  struct sigaction Ignore = {}, OldInt, OldQuit;
  Ignore.sa_handler = SIG_IGN;
  sigaction(SIGINT, &Ignore, &OldInt);
  sigaction(SIGQUIT, &Ignore, &OldQuit);
  pid_t Child = fork();
  if (Child == 0) {
    sigaction(SIGINT, &OldInt, nullptr);
    sigaction(SIGQUIT, &OldQuit, nullptr);
    execve(Path.c_str(), ChildArgv.data(), ChildEnv.data());
    int Err = errno;
    errs() << "snag run: error: cannot run '" << Program[0] << "': " << strerror(Err) << "\n";
    _exit(127);
  }
  if (Child < 0) {
    sigaction(SIGINT, &OldInt, nullptr);
    sigaction(SIGQUIT, &OldQuit, nullptr);
    return fail("cannot start a process: " + Twine(strerror(errno)));
  }
  int Status = 0;
  while (waitpid(Child, &Status, 0) < 0 && errno == EINTR) {
  }
  sigaction(SIGINT, &OldInt, nullptr);
  sigaction(SIGQUIT, &OldQuit, nullptr);

  std::vector<std::string> ReadErrors;
  std::vector<run::ProcessRecord> Processes = run::readReportDir(ReportDir, ReadErrors);
  Report R;
  R.Command = "run";
  R.Findings = run::collectFindings(Processes);
  // ThreadSanitizer's logs, checked against the shim's records; then the
  // confirmations of snag check's findings.
  addTsanFindings(ReportDir, Processes, R.Findings, errs(), /*Verbose=*/false);
  if (!StaticLog.empty()) {
    auto Static = readStaticSarif(StaticLog);
    if (!Static)
      R.Errors.push_back({StaticLog, toString(Static.takeError())});
    else
      markConfirmations(R.Findings, *Static);
  }
  for (const std::string &E : ReadErrors)
    R.Errors.push_back({ReportDir, E});
  R.normalize();

  if (!emitReport(R, *Fmt, OutputPath))
    return 2;
  for (const run::ProcessRecord &P : Processes)
    if (!P.EndedBy.empty())
      errs() << "snag run: snag ended process " << P.Pid << " ("
             << sys::path::filename(P.Executable) << ") after reporting a " << P.EndedBy
             << ", which it could never have recovered from\n";
  int ProgramStatus = 0;
  if (WIFSIGNALED(Status)) {
    int Sig = WTERMSIG(Status);
    errs() << "snag run: the program died by signal " << Sig << " (" << signalName(Sig)
           << ")\n";
    ProgramStatus = 128 + Sig;
  } else if (WIFEXITED(Status)) {
    ProgramStatus = WEXITSTATUS(Status);
  }
  if (KeepReports)
    errs() << "snag run: report files kept in " << ReportDir << "\n";
  else
    sys::fs::remove_directories(ReportDir);

  int SnagStatus = exitStatusFor(R);
  if (SnagStatus != 0)
    return SnagStatus;
  return ProgramStatus;
}

} // namespace snag
