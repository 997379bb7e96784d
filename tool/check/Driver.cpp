//===- Driver.cpp - Parse each TU once, in parallel, and run the analyses -===//
#include "check/Driver.h"
#include "Version.h"
#include "check/Analyses.h"
#include "check/FactsMerge.h"
#include "check/UnitProcess.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/thread.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <numeric>
#include <pthread.h>

using namespace clang;
using namespace clang::tooling;
using namespace llvm;

namespace snag {

std::string clangResourceDir() {
  std::string Exe = sys::fs::getMainExecutable(nullptr, (void *)&clangResourceDir);
  SmallString<256> Beside(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(Beside, "lib", "clang", SNAG_LLVM_VERSION);
  for (StringRef Candidate : {StringRef(Beside), StringRef(SNAG_CLANG_RESOURCE_DIR)}) {
    SmallString<256> Probe(Candidate);
    sys::path::append(Probe, "include", "stddef.h");
    if (sys::fs::exists(Probe))
      return Candidate.str();
  }
  // A major-version folder (lib/clang/19) beside the install.
  SmallString<256> Major(sys::path::parent_path(Beside));
  sys::path::append(Major, StringRef(SNAG_LLVM_VERSION).split('.').first);
  SmallString<256> Probe(Major);
  sys::path::append(Probe, "include", "stddef.h");
  return sys::fs::exists(Probe) ? std::string(Major) : "";
}

namespace {

/// Keeps Clang's first error and stays silent otherwise: snag reports
/// concurrency findings, not compiler warnings.
class FirstErrorConsumer : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error || !First.empty())
      return;
    SmallString<256> Text;
    Info.FormatDiagnostic(Text);
    First = std::string(Text);
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      const SourceManager &SM = Info.getSourceManager();
      PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Info.getLocation()));
      if (P.isValid()) {
        SmallString<256> Path(P.getFilename());
        SM.getFileManager().makeAbsolutePath(Path);
        Where = SourcePoint{std::string(Path), P.getLine(), P.getColumn()};
      }
    }
  }
  std::string First;
  SourcePoint Where;
};

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(CompilerInstance &CI, const Config &Cfg, UnitOutcome &Out,
                   std::vector<std::string> &Deps, bool ParseOnly,
                   const LockImports *Imports)
      : CI(CI), Cfg(Cfg), Out(Out), Deps(Deps), ParseOnly(ParseOnly),
        Imports(Imports) {}

  void HandleTranslationUnit(ASTContext &AST) override {
    if (CI.getDiagnostics().hasErrorOccurred())
      return; // reported by the caller with Clang's first error
    TUContext Ctx(AST, Cfg, Out.Facts);
    Ctx.Imports = Imports;
    if (!ParseOnly)
      for (const TUAnalysis &A : tuAnalyses())
        A.Run(Ctx);
    const SourceManager &SM = AST.getSourceManager();
    for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End; ++It) {
      SmallString<256> Path(It->first.getName());
      SM.getFileManager().makeAbsolutePath(Path);
      Deps.push_back(std::string(Path));
    }
  }

private:
  CompilerInstance &CI;
  const Config &Cfg;
  UnitOutcome &Out;
  std::vector<std::string> &Deps;
  bool ParseOnly;
  const LockImports *Imports;
};

class AnalysisAction : public ASTFrontendAction {
public:
  AnalysisAction(const Config &Cfg, UnitOutcome &Out, std::vector<std::string> &Deps,
                 bool ParseOnly, const LockImports *Imports)
      : Cfg(Cfg), Out(Out), Deps(Deps), ParseOnly(ParseOnly), Imports(Imports) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    return std::make_unique<AnalysisConsumer>(CI, Cfg, Out, Deps, ParseOnly,
                                              Imports);
  }

private:
  const Config &Cfg;
  UnitOutcome &Out;
  std::vector<std::string> &Deps;
  bool ParseOnly;
  const LockImports *Imports;
};

class ActionFactory : public FrontendActionFactory {
public:
  ActionFactory(const Config &Cfg, UnitOutcome &Out, std::vector<std::string> &Deps,
                bool ParseOnly, const LockImports *Imports)
      : Cfg(Cfg), Out(Out), Deps(Deps), ParseOnly(ParseOnly), Imports(Imports) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<AnalysisAction>(Cfg, Out, Deps, ParseOnly, Imports);
  }

private:
  const Config &Cfg;
  UnitOutcome &Out;
  std::vector<std::string> &Deps;
  bool ParseOnly;
  const LockImports *Imports;
};

//===----------------------------------------------------------------------===//
// Crash isolation: each TU is parsed on a thread of its own with a large
// stack, inside LLVM's crash recovery, so that a Clang crash, a fatal error
// or a stack overflow on one file fails that file only.
//===----------------------------------------------------------------------===//

/// Where the fault handler runs when the stack itself is exhausted.
constexpr size_t AltStackSize = 256u << 10;

/// The current unit's thread: its stack bounds, and what went wrong.
thread_local char *StackLow = nullptr, *StackHigh = nullptr;
thread_local bool StackOverflowed = false;
thread_local std::string FatalReason;

struct sigaction ChainedSegv, ChainedBus;

/// Notes whether a fault is a stack overflow (an address just below the
/// thread's stack), then hands over to LLVM's crash recovery, which leaves
/// the TU through longjmp. Runs on the alternate stack.
void onFault(int Sig, siginfo_t *Info, void *Context) {
  char *Addr = static_cast<char *>(Info->si_addr);
  if (StackLow && Addr < StackHigh && Addr + (1u << 20) >= StackLow)
    StackOverflowed = true;
  struct sigaction &Next = Sig == SIGSEGV ? ChainedSegv : ChainedBus;
  if (Next.sa_flags & SA_SIGINFO)
    Next.sa_sigaction(Sig, Info, Context);
  else if (Next.sa_handler != SIG_DFL && Next.sa_handler != SIG_IGN)
    Next.sa_handler(Sig);
  signal(Sig, SIG_DFL);
  raise(Sig);
}

/// A fatal error inside a TU (report_fatal_error) fails that TU; elsewhere
/// it ends snag with status 2, "snag could not do its job".
void onFatalError(void *, const char *Reason, bool) {
  if (CrashRecoveryContext *CRC = CrashRecoveryContext::GetCurrent()) {
    FatalReason = Reason;
    CRC->HandleExit(1);
  }
  errs() << "snag: error: " << Reason << '\n';
  std::_Exit(2);
}

void enableCrashRecovery() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    CrashRecoveryContext::Enable();
    install_fatal_error_handler(onFatalError);
    // LLVM's handlers run on the faulting stack, which a stack overflow has
    // used up: ours runs on an alternate stack and chains to them.
    struct sigaction Action;
    std::memset(&Action, 0, sizeof(Action));
    Action.sa_sigaction = onFault;
    Action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&Action.sa_mask);
    sigaction(SIGSEGV, &Action, &ChainedSegv);
    sigaction(SIGBUS, &Action, &ChainedBus);
  });
}

/// Runs \p Fn on a thread with a large stack (deeply nested code, such as
/// thousands of `else if`, recurses deeply in Clang's parser and in the
/// analyses) and an alternate signal stack,
/// under crash recovery. Returns "" when it finished, else why it did not.
std::string runIsolated(function_ref<void()> Fn, unsigned StackMiB) {
  std::string Failure;
  llvm::thread Worker(std::optional<unsigned>(StackMiB << 20), [&] {
    std::vector<char> AltStack(AltStackSize);
    stack_t Alt{}, Previous{};
    Alt.ss_sp = AltStack.data();
    Alt.ss_size = AltStack.size();
    sigaltstack(&Alt, &Previous);
    pthread_attr_t Attr;
    if (pthread_getattr_np(pthread_self(), &Attr) == 0) {
      void *Base = nullptr;
      size_t Size = 0;
      pthread_attr_getstack(&Attr, &Base, &Size);
      StackLow = static_cast<char *>(Base);
      StackHigh = StackLow + Size;
      pthread_attr_destroy(&Attr);
    }
    StackOverflowed = false;
    FatalReason.clear();
    CrashRecoveryContext CRC;
    if (!CRC.RunSafely(Fn)) {
      if (StackOverflowed)
        Failure = "snag ran out of stack on this file (code nested too "
                  "deeply for Clang)";
      else if (!FatalReason.empty())
        Failure = "Clang stopped with a fatal error: " + FatalReason;
      else if (CRC.RetCode > 128)
        Failure = "snag crashed (" +
                  std::string(strsignal(CRC.RetCode - 128)) +
                  ") while analysing this file; please report it with the file";
      else
        Failure = "snag crashed while analysing this file; please report it "
                  "with the file";
    }
    StackLow = StackHigh = nullptr;
    sigaltstack(&Previous, nullptr);
  });
  Worker.join();
  return Failure;
}

/// A database of exactly one command: each worker owns its own.
class OneCommandDatabase : public CompilationDatabase {
public:
  explicit OneCommandDatabase(CompileCommand Cmd) : Cmd(std::move(Cmd)) {}
  std::vector<CompileCommand> getCompileCommands(StringRef) const override {
    return {Cmd};
  }

private:
  CompileCommand Cmd;
};

void analyseOne(const Unit &U, const Config &Cfg, const std::string &ResourceDir,
                bool ParseOnly, const LockImports *Imports, UnitOutcome &Out,
                std::vector<std::string> &Deps) {
  Out.Facts.MainFile = U.File;
  debugCrashIfAsked(U.File);
  OneCommandDatabase DB(U.Command);
  // A file system of its own per worker: ClangTool sets its working folder.
  ClangTool Tool(DB, {U.File}, std::make_shared<PCHContainerOperations>(),
                 vfs::createPhysicalFileSystem());
  Tool.setPrintErrorMessage(false);
  Tool.clearArgumentsAdjusters();
  Tool.appendArgumentsAdjuster(getClangStripOutputAdjuster());
  Tool.appendArgumentsAdjuster(getClangStripDependencyFileAdjuster());
  Tool.appendArgumentsAdjuster(getClangSyntaxOnlyAdjuster());
  CommandLineArguments Front{"-Qunused-arguments", "-Wno-everything",
                             "-fno-caret-diagnostics",
                             "-ferror-limit=20"};
  if (!ResourceDir.empty())
    Front.push_back("-resource-dir=" + ResourceDir);
  Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster(Front, ArgumentInsertPosition::BEGIN));
  // SNAG_DEBUG_COMMANDS=1 shows the command each TU is parsed with.
  if (std::getenv("SNAG_DEBUG_COMMANDS"))
    Tool.appendArgumentsAdjuster([](const CommandLineArguments &Args, StringRef File) {
      errs() << "snag: parsing " << File << " with:";
      for (const std::string &A : Args)
        errs() << ' ' << A;
      errs() << '\n';
      return Args;
    });
  FirstErrorConsumer Diags;
  Tool.setDiagnosticConsumer(&Diags);
  ActionFactory Factory(Cfg, Out, Deps, ParseOnly, Imports);
  int Status = Tool.run(&Factory);
  if (!Diags.First.empty()) {
    Out.Failed = true;
    Out.Error = Diags.First;
    Out.ErrorWhere = Diags.Where;
  } else if (Status != 0) {
    Out.Failed = true;
    Out.Error = "Clang could not process this file with its compile command";
  }
  if (Out.Failed)
    Out.Facts.Findings.clear();
}

} // namespace

std::vector<UnitOutcome> analyseUnits(const std::vector<Unit> &Units,
                                      ConfigFinder &Configs,
                                      const DriverOptions &Opts) {
  std::vector<UnitOutcome> Outcomes(Units.size());
  std::string ResourceDir = clangResourceDir();
  std::atomic<unsigned> Done{0};
  std::mutex ProgressLock;
  // Set once a unit crashes (or hits a fatal error) in this process: from
  // then on LLVM's state may be corrupt, and units run in child processes.
  std::atomic<bool> Tainted{false};
  enableCrashRecovery();
  std::vector<size_t> Order(Units.size());
  std::iota(Order.begin(), Order.end(), 0);
  if (Opts.Merger) {
    Opts.Merger->attach(Outcomes.data());
    Order = Opts.Merger->order();
  }

  auto Work = [&](size_t I) {
    const Unit &U = Units[I];
    UnitOutcome &Out = Outcomes[I];
    Out.Facts.MainFile = U.File;
    auto Cfg = Configs.forFile(U.File);
    if (!Cfg) {
      Out.Failed = true;
      Out.Error = toString(Cfg.takeError());
    } else {
      // What the unit was told about other units' lock functions is part
      // of what its facts depend on.
      std::string Key =
          Opts.Cache ? Opts.Cache->key(U, (*Cfg)->fingerprint() +
                                              (I < Opts.ImportKeys.size()
                                                   ? Opts.ImportKeys[I]
                                                   : std::string()))
                     : "";
      Out.Key = Key;
      FactsEntry Build;
      if (Opts.BuildFacts && Opts.Cache) {
        if (std::string Path = buildFactsPath(U); !Path.empty())
          Build = Opts.Cache->read(Path, Key);
        Out.BuildFactsSeen = Build.State != FactsEntry::Missing;
        if (Build.State == FactsEntry::Failed)
          Out.BuildFailure = Build.Error;
      }
      if (Build.State == FactsEntry::Fresh) {
        Out.Facts = std::move(Build.Facts);
        Out.FromBuild = true;
      } else if (auto Hit = Opts.Cache ? Opts.Cache->lookup(Key) : std::nullopt) {
        Out.Facts = std::move(*Hit);
        Out.FromCache = true;
      } else {
        std::string Crash;
        bool InChild = !Opts.ChildArgs.empty();
        if (!U.Problem.empty()) {
          Out.Failed = true;
          Out.Error = U.Problem;
        } else if (InChild && Tainted) {
          // A unit crashed in this process before this one started.
          Out = analyseInChild(Opts.ChildArgs, I, U.File);
        } else {
          Crash = runIsolated(
              [&] {
                analyseOne(U, **Cfg, ResourceDir, Opts.ParseOnly, Opts.Imports,
                           Out, Out.Deps);
              },
              Opts.StackMiB);
          if (!Crash.empty())
            Tainted = true;
          // This unit crashed, or another did while it ran: analyse it again
          // in a fresh process, where no corrupt state can sway the outcome.
          if (InChild && Tainted) {
            Out = analyseInChild(Opts.ChildArgs, I, U.File);
            Out.Crashed = !Crash.empty();
            Crash.clear();
          }
        }
        if (!Crash.empty()) {
          std::string BuildFailure = std::move(Out.BuildFailure);
          bool Seen = Out.BuildFactsSeen;
          Out = UnitOutcome();
          Out.Facts.MainFile = U.File;
          Out.Key = Key;
          Out.BuildFactsSeen = Seen;
          Out.BuildFailure = std::move(BuildFailure);
          Out.Failed = true;
          Out.Crashed = true;
          Out.Error = Crash;
        } else if (!Out.Failed && Opts.Cache && !Tainted) {
          Opts.Cache->store(Key, Out.Facts, Out.Deps);
        }
      }
    }
    if (Opts.Merger)
      Opts.Merger->done(I);
    unsigned N = ++Done;
    if (Opts.Progress) {
      std::lock_guard<std::mutex> G(ProgressLock);
      errs() << "\r\033[K[" << N << "/" << Units.size() << "] "
             << sys::path::filename(U.File);
      errs().flush();
    }
  };

  unsigned Jobs = Opts.Jobs ? Opts.Jobs : hardware_concurrency().compute_thread_count();
  if (Jobs <= 1 || Units.size() <= 1) {
    for (size_t I : Order)
      Work(I);
  } else {
    DefaultThreadPool Pool(hardware_concurrency(Jobs));
    for (size_t I : Order)
      Pool.async([&Work, I] { Work(I); });
    Pool.wait();
  }
  if (Opts.Progress)
    errs() << "\r\033[K";
  return Outcomes;
}

} // namespace snag
