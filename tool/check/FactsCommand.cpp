//===- FactsCommand.cpp - `snag facts`, the compiler launcher -------------===//
//
// Any build runs `snag facts COMPILER ARGS...` in place of the compiler
// (CMAKE_CXX_COMPILER_LAUNCHER="snag;facts"). The compiler runs first, with
// snag's standard streams, and its exit status is snag's: the build sees
// what it would see without snag. When it made object files, their facts
// are extracted in a child process, so that nothing snag does (a crash, a
// file Clang cannot parse, memory running out) can fail the build: a
// failure leaves a marker in place of the facts, which `snag check` reports
// before parsing that file itself.
//
//===----------------------------------------------------------------------===//
#include "check/FactsCommand.h"
#include "check/BuildFacts.h"
#include "check/Cache.h"
#include "check/Config.h"
#include "check/Driver.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace llvm;

namespace snag {

namespace {

const char Usage[] =
    "usage: snag facts [--] COMPILER ARGS...\n"
    "\n"
    "Runs the compiler command unchanged (its output and exit status are "
    "snag's),\nthen writes the facts of each object file it made beside it "
    "(foo.o.snag), for\n`snag check -p BUILD` to read instead of parsing "
    "the file again. As a CMake\nlauncher: -DCMAKE_CXX_COMPILER_LAUNCHER=\"snag;facts\"; "
    "with ccache behind it:\n\"snag;facts;ccache\".\n";

/// Launchers that take the compiler command as their arguments: the
/// command whose facts are wanted follows them.
bool isCompilerWrapper(StringRef Program) {
  return StringSwitch<bool>(sys::path::filename(Program))
      .Cases("ccache", "sccache", "buildcache", "distcc", "icecc", true)
      .Default(false);
}

/// Runs \p Argv with our standard streams and environment; returns the
/// wait status, or -errno when it could not be started.
int runCommand(const std::vector<std::string> &Argv) {
  std::vector<char *> Raw;
  for (const std::string &A : Argv)
    Raw.push_back(const_cast<char *>(A.c_str()));
  Raw.push_back(nullptr);
  pid_t Pid;
  if (int Err = posix_spawnp(&Pid, Raw[0], nullptr, nullptr, Raw.data(), environ))
    return -Err;
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0)
    if (errno != EINTR)
      return -errno;
  return Status;
}

/// The unit that `snag check` would make of \p Job from a compilation
/// database entry with the same command.
Unit unitOf(const CompileJob &Job, StringRef Directory) {
  std::vector<std::string> Args = Job.CommandLine;
  dropFlagsClangRejects(Args);
  return Unit{Job.Source,
              clang::tooling::CompileCommand(Directory, Job.Source,
                                             std::move(Args), Job.Object),
              ""};
}

/// Extracts and writes the facts of every job; runs in the child.
void extractAll(const std::vector<CompileJob> &Jobs, StringRef Directory) {
  std::vector<Unit> Units;
  for (const CompileJob &Job : Jobs)
    Units.push_back(unitOf(Job, Directory));
  ConfigFinder Configs;
  FactsCache Keys(""); // keys and content hashes only: nothing is cached
  DriverOptions Opts;
  Opts.Jobs = 1;
  Opts.Cache = &Keys;
  std::vector<UnitOutcome> Outcomes = analyseUnits(Units, Configs, Opts);
  for (size_t I = 0; I < Jobs.size(); ++I) {
    const UnitOutcome &O = Outcomes[I];
    std::string Path = factsPathFor(Jobs[I].Object);
    bool Written = O.Failed ? Keys.write(Path, O.Key, nullptr, O.Error, O.Deps)
                            : Keys.write(Path, O.Key, &O.Facts, "", O.Deps);
    if (!Written) // a marker needs nothing but the key
      Keys.write(Path, O.Key, nullptr,
                 O.Failed ? O.Error : "the facts could not be written", {});
  }
}

} // namespace

int factsMain(int argc, const char **argv) {
  std::vector<std::string> Command(argv + 1, argv + argc);
  if (!Command.empty() && (Command[0] == "--help" || Command[0] == "-h")) {
    outs() << Usage;
    return 0;
  }
  if (!Command.empty() && Command[0] == "--")
    Command.erase(Command.begin());
  if (Command.empty() || StringRef(Command[0]).starts_with("-")) {
    errs() << "snag facts: error: "
           << (Command.empty() ? "no compiler command"
                               : "unknown option '" + Command[0] + "'")
           << "\n"
           << Usage;
    return 2;
  }

  int Status = runCommand(Command);
  if (Status < 0) {
    errs() << "snag facts: error: cannot run '" << Command[0]
           << "': " << std::strerror(-Status) << '\n';
    return -Status == ENOENT ? 127 : 126;
  }
  if (WIFSIGNALED(Status)) {
    // Die the way the compiler died, as a shell would show it.
    int Sig = WTERMSIG(Status);
    std::signal(Sig, SIG_DFL);
    std::raise(Sig);
    return 128 + Sig;
  }
  int Exit = WIFEXITED(Status) ? WEXITSTATUS(Status) : 1;
  if (Exit != 0)
    return Exit;

  // The compiler itself, behind any cache or distribution wrapper, with
  // its response files read.
  auto Compiler = Command.begin();
  while (Compiler + 1 < Command.end() && isCompilerWrapper(*Compiler))
    ++Compiler;
  BumpPtrAllocator Alloc;
  StringSaver Saver(Alloc);
  SmallVector<const char *, 64> Raw;
  for (auto It = Compiler; It != Command.end(); ++It)
    Raw.push_back(Saver.save(*It).data());
  cl::ExpansionContext Expand(Alloc, cl::TokenizeGNUCommandLine);
  if (Error E = Expand.expandResponseFiles(Raw))
    consumeError(std::move(E)); // the compiler read them; so may the check
  std::vector<std::string> Argv(Raw.begin(), Raw.end());

  SmallString<256> Cwd;
  if (sys::fs::current_path(Cwd))
    return Exit;
  std::vector<CompileJob> Jobs = compileJobs(Argv, Cwd);
  if (Jobs.empty())
    return Exit;

  outs().flush();
  errs().flush();
  pid_t Child = fork();
  if (Child == 0) {
    // The build's log is the compiler's: whatever Clang or LLVM would say
    // about a file snag cannot parse (or a crash) goes nowhere.
    int Null = open("/dev/null", O_WRONLY);
    if (Null >= 0) {
      dup2(Null, STDOUT_FILENO);
      dup2(Null, STDERR_FILENO);
    }
    extractAll(Jobs, Cwd);
    outs().flush();
    errs().flush();
    std::_Exit(0);
  }
  int ChildStatus = 0;
  bool Done = false;
  if (Child > 0)
    while (!(Done = waitpid(Child, &ChildStatus, 0) == Child) && errno == EINTR)
      ;
  if (Done && WIFEXITED(ChildStatus) && WEXITSTATUS(ChildStatus) == 0)
    return Exit;
  // The extraction died (killed, out of memory): leave markers that say so,
  // keyed as the check will look for them.
  std::string Why =
      Child < 0 ? "snag could not start extracting facts"
      : Done && WIFSIGNALED(ChildStatus)
          ? "snag stopped while extracting facts (" +
                std::string(strsignal(WTERMSIG(ChildStatus))) + ")"
          : "snag failed while extracting facts";
  ConfigFinder Configs;
  FactsCache Keys("");
  for (const CompileJob &Job : Jobs) {
    Unit U = unitOf(Job, Cwd);
    auto Cfg = Configs.forFile(U.File);
    if (!Cfg) {
      consumeError(Cfg.takeError());
      continue;
    }
    Keys.write(factsPathFor(Job.Object), Keys.key(U, (*Cfg)->fingerprint()),
               nullptr, Why, {});
  }
  return Exit;
}

} // namespace snag
