//===- TsanLogTool.cpp - snag-tsan-log: a testing aid for the TSan reader -===//
//
// Reads ThreadSanitizer logs (files, or a report folder with the shim's
// records beside them) and prints what `snag run` would report for them,
// without running a program. For snag's own parser tests; see docs/run.md.
//
//   snag-tsan-log [--format text|json|sarif] [-o FILE] [--static S.sarif]
//                 [--verbose] PATH...
//
//===----------------------------------------------------------------------===//
#include "report/Writers.h"
#include "run/Records.h"
#include "run/StaticConfirm.h"
#include "run/TsanMerge.h"
#include "run/TsanReports.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::opt<std::string> FormatName("format", cl::init("text"),
                                       cl::desc("text, json or sarif"));
static cl::opt<std::string> OutputPath("o", cl::desc("output file"));
static cl::opt<std::string> StaticLog("static",
                                      cl::desc("SARIF log of snag check"));
static cl::opt<bool> Verbose("verbose", cl::desc("say which cycles were dropped"));
static cl::list<std::string> Paths(cl::Positional, cl::OneOrMore,
                                   cl::desc("LOG-FILE|REPORT-DIR..."));

int main(int argc, const char **argv) {
  InitLLVM Init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "snag-tsan-log: ThreadSanitizer logs as snag "
                              "findings (a testing aid)\n");
  auto Fmt = snag::parseFormat(FormatName);
  if (!Fmt) {
    errs() << "snag-tsan-log: error: unknown format '" << FormatName << "'\n";
    return 2;
  }
  snag::Report R;
  R.Command = "run";
  for (const std::string &P : Paths) {
    if (sys::fs::is_directory(P)) {
      std::vector<std::string> Errors;
      auto Processes = snag::run::readReportDir(P, Errors);
      // A folder with no record of a process means the shim did not see it
      // (snag run itself knows better: it preloads the shim everywhere).
      snag::addTsanFindings(P, Processes, R.Findings, errs(), Verbose,
                            /*ShimSawEveryProcess=*/false);
      continue;
    }
    auto Buf = MemoryBuffer::getFile(P, /*IsText=*/true);
    if (!Buf) {
      errs() << "snag-tsan-log: error: cannot read '" << P << "'\n";
      return 2;
    }
    snag::TsanLogResult Logs;
    snag::parseTsanLog((*Buf)->getBuffer(), P, Logs);
    for (const std::string &W : Logs.Warnings)
      errs() << "snag run: warning: " << W << "\n";
    std::vector<std::string> Notes;
    snag::mergeTsanFindings(R.Findings, std::move(Logs.Findings), {}, Notes);
    if (Verbose)
      for (const std::string &N : Notes)
        errs() << "snag run: note: " << N << "\n";
  }
  snag::dedupFindings(R.Findings);
  if (!StaticLog.empty()) {
    auto Static = snag::readStaticSarif(StaticLog);
    if (!Static) {
      errs() << "snag-tsan-log: error: " << toString(Static.takeError()) << "\n";
      return 2;
    }
    R.Static.Present = true;
    R.Static.Log = StaticLog;
    R.Static.Suspects = snag::markConfirmations(R.Findings, *Static);
    R.Static.NoCoverageWhy = "logs carry no coverage";
  }
  R.normalize();
  if (!snag::emitReport(R, *Fmt, OutputPath))
    return 2;
  return snag::exitStatusFor(R);
}
