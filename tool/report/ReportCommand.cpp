//===- ReportCommand.cpp - The `snag report` subcommand -------------------===//
//
// `snag report check.sarif run.sarif -o snag.html` merges the SARIF logs of
// snag check and snag run (and other tools' SARIF 2.1.0) into one report:
// one page for a CI artifact. Findings that several logs share are shown
// once.
//
//===----------------------------------------------------------------------===//
#include "report/ReportCommand.h"
#include "Version.h"
#include "report/HtmlWriter.h"
#include "report/SarifReader.h"
#include "report/Writers.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <tuple>

using namespace llvm;

namespace snag {

static int fail(const Twine &Message) {
  WithColor::error(errs(), "snag") << Message << '\n';
  return 2;
}

int reportMain(int argc, const char **argv) {
  static cl::OptionCategory Category("snag report options");
  static cl::list<std::string> Logs(cl::Positional, cl::desc("<file.sarif>..."),
                                    cl::cat(Category));
  static cl::opt<std::string> FormatName(
      "format", cl::desc("Report format: html, text, json or sarif (default: html)"),
      cl::init("html"), cl::cat(Category));
  static cl::opt<std::string> Output(
      "o", cl::desc("Write the report to this file (default: stdout; text: stderr)"),
      cl::value_desc("file"), cl::cat(Category));
  static cl::opt<std::string> SourceRoot(
      "source-root",
      cl::desc("Folder the logs' relative paths start from (default: the folder "
               "each log names, else the working folder)"),
      cl::value_desc("dir"), cl::cat(Category));

  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "snag " << SNAG_VERSION << " (LLVM " << SNAG_LLVM_VERSION << ")\n";
  });
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "snag report: merge SARIF logs into one report\n\n"
          "  snag report [options] <file.sarif>... [-o report.html]\n\n"
          "Reads the SARIF 2.1.0 logs of snag check and snag run (or of other "
          "tools) and\nwrites one report; findings that several logs share are "
          "shown once. The code\naround each finding is read from the source "
          "files now, where they exist.\n",
          &errs()))
    return 2;
  std::optional<Format> Fmt = parseFormat(FormatName);
  if (!Fmt)
    return fail("unknown --format '" + FormatName +
                "' (expected html, text, json or sarif)");
  if (Logs.empty())
    return fail("no input: name one or more SARIF logs (see snag report --help)");

  SarifReadOptions ReadOpts;
  if (!SourceRoot.empty()) {
    if (!sys::fs::is_directory(SourceRoot))
      return fail("--source-root '" + SourceRoot + "' is not a folder");
    SmallString<256> Abs(SourceRoot);
    sys::fs::make_absolute(Abs);
    sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    ReadOpts.SourceRoot = std::string(Abs);
  }
  Report R;
  R.Command = "report";
  for (const std::string &Log : Logs)
    if (Error E = readSarifFile(Log, R, ReadOpts))
      return fail(toString(std::move(E)));
  // Same logs, same report, in whatever order they are named.
  R.normalize();
  llvm::sort(R.Errors, [](const ToolError &A, const ToolError &B) {
    return std::tie(A.File, A.Line, A.Column, A.Message) <
           std::tie(B.File, B.Line, B.Column, B.Message);
  });
  R.Errors.erase(std::unique(R.Errors.begin(), R.Errors.end(),
                             [](const ToolError &A, const ToolError &B) {
                               return std::tie(A.File, A.Line, A.Column, A.Message) ==
                                      std::tie(B.File, B.Line, B.Column, B.Message);
                             }),
                 R.Errors.end());

  WriteOptions Opts;
  HtmlOptions &Html = Opts.Html;
  Html.Inputs.assign(Logs.begin(), Logs.end());
  llvm::sort(Html.Inputs);
  Html.Inputs.erase(std::unique(Html.Inputs.begin(), Html.Inputs.end()),
                    Html.Inputs.end());
  if (!emitReport(R, *Fmt, Output, Opts))
    return 2;
  return 0;
}

} // namespace snag
