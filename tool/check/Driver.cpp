//===- Driver.cpp - Parse each TU once, in parallel, and run the analyses -===//
#include "check/Driver.h"
#include "Version.h"
#include "check/Analyses.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

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
                   std::vector<std::string> &Deps, bool ParseOnly)
      : CI(CI), Cfg(Cfg), Out(Out), Deps(Deps), ParseOnly(ParseOnly) {}

  void HandleTranslationUnit(ASTContext &AST) override {
    if (CI.getDiagnostics().hasErrorOccurred())
      return; // reported by the caller with Clang's first error
    TUContext Ctx(AST, Cfg, Out.Facts);
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
};

class AnalysisAction : public ASTFrontendAction {
public:
  AnalysisAction(const Config &Cfg, UnitOutcome &Out, std::vector<std::string> &Deps,
                 bool ParseOnly)
      : Cfg(Cfg), Out(Out), Deps(Deps), ParseOnly(ParseOnly) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    return std::make_unique<AnalysisConsumer>(CI, Cfg, Out, Deps, ParseOnly);
  }

private:
  const Config &Cfg;
  UnitOutcome &Out;
  std::vector<std::string> &Deps;
  bool ParseOnly;
};

class ActionFactory : public FrontendActionFactory {
public:
  ActionFactory(const Config &Cfg, UnitOutcome &Out, std::vector<std::string> &Deps,
                bool ParseOnly)
      : Cfg(Cfg), Out(Out), Deps(Deps), ParseOnly(ParseOnly) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<AnalysisAction>(Cfg, Out, Deps, ParseOnly);
  }

private:
  const Config &Cfg;
  UnitOutcome &Out;
  std::vector<std::string> &Deps;
  bool ParseOnly;
};

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
                bool ParseOnly, UnitOutcome &Out, std::vector<std::string> &Deps) {
  Out.Facts.MainFile = U.File;
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
  ActionFactory Factory(Cfg, Out, Deps, ParseOnly);
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
  CrashRecoveryContext::Enable();

  auto Work = [&](size_t I) {
    const Unit &U = Units[I];
    UnitOutcome &Out = Outcomes[I];
    Out.Facts.MainFile = U.File;
    auto Cfg = Configs.forFile(U.File);
    if (!Cfg) {
      Out.Failed = true;
      Out.Error = toString(Cfg.takeError());
    } else {
      std::string Key = Opts.Cache ? Opts.Cache->key(U, (*Cfg)->fingerprint()) : "";
      if (auto Hit = Opts.Cache ? Opts.Cache->lookup(Key) : std::nullopt) {
        Out.Facts = std::move(*Hit);
        Out.FromCache = true;
      } else {
        std::vector<std::string> Deps;
        CrashRecoveryContext CRC;
        if (!CRC.RunSafely([&] { analyseOne(U, **Cfg, ResourceDir, Opts.ParseOnly, Out, Deps); })) {
          Out = UnitOutcome();
          Out.Facts.MainFile = U.File;
          Out.Failed = true;
          Out.Error = "snag crashed while analysing this file (an internal "
                      "error; please report it with the file)";
        } else if (!Out.Failed && Opts.Cache) {
          Opts.Cache->store(Key, Out.Facts, Deps);
        }
      }
    }
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
    for (size_t I = 0; I < Units.size(); ++I)
      Work(I);
  } else {
    DefaultThreadPool Pool(hardware_concurrency(Jobs));
    for (size_t I = 0; I < Units.size(); ++I)
      Pool.async([&Work, I] { Work(I); });
    Pool.wait();
  }
  if (Opts.Progress)
    errs() << "\r\033[K";
  return Outcomes;
}

} // namespace snag
