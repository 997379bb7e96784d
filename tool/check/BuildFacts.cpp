//===- BuildFacts.cpp - Compile jobs of a compiler command ----------------===//
#include "check/BuildFacts.h"

#include "clang/Driver/Options.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;
namespace options = clang::driver::options;

namespace snag {

static std::string absoluteIn(StringRef Directory, StringRef Path) {
  SmallString<256> Abs(Path);
  if (!sys::path::is_absolute(Abs)) {
    Abs = Directory;
    sys::path::append(Abs, Path);
  }
  sys::fs::make_absolute(Abs);
  sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

std::vector<CompileJob> compileJobs(ArrayRef<std::string> Argv,
                                    StringRef Directory) {
  std::vector<CompileJob> Jobs;
  if (Argv.size() < 2)
    return Jobs;
  std::vector<const char *> Args;
  for (size_t I = 1; I < Argv.size(); ++I)
    Args.push_back(Argv[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  opt::InputArgList Parsed = clang::driver::getDriverOptTable().ParseArgs(
      Args, MissingIndex, MissingCount, opt::Visibility(options::ClangOption));
  // Only a command that stops at the object file makes one.
  if (!Parsed.hasArg(options::OPT_c) || MissingCount ||
      Parsed.hasArg(options::OPT_E, options::OPT_M, options::OPT_MM) ||
      Parsed.hasArg(options::OPT_S, options::OPT_fsyntax_only,
                    options::OPT__HASH_HASH_HASH))
    return Jobs;
  std::vector<unsigned> SourceIndexes; // into Argv
  for (const opt::Arg *A : Parsed.filtered(options::OPT_INPUT))
    if (isSourceFile(A->getValue()))
      SourceIndexes.push_back(A->getIndex() + 1);
  const opt::Arg *Output = Parsed.getLastArg(options::OPT_o);
  if (SourceIndexes.empty() || (Output && SourceIndexes.size() > 1))
    return Jobs; // the compiler refuses -o with several sources and -c
  for (unsigned Index : SourceIndexes) {
    CompileJob Job;
    Job.Source = absoluteIn(Directory, Argv[Index]);
    if (Output) {
      Job.Object = absoluteIn(Directory, Output->getValue());
    } else {
      SmallString<128> Name(sys::path::filename(Argv[Index]));
      sys::path::replace_extension(Name, "o");
      Job.Object = absoluteIn(Directory, Name);
    }
    for (size_t I = 0; I < Argv.size(); ++I)
      if (I == Index || !is_contained(SourceIndexes, I))
        Job.CommandLine.push_back(Argv[I]);
    Jobs.push_back(std::move(Job));
  }
  return Jobs;
}

std::string factsPathFor(StringRef Object) { return (Object + ".snag").str(); }

std::string buildFactsPath(const Unit &U) {
  const auto &Cmd = U.Command;
  if (!Cmd.Output.empty())
    return factsPathFor(absoluteIn(Cmd.Directory, Cmd.Output));
  for (const CompileJob &Job : compileJobs(Cmd.CommandLine, Cmd.Directory))
    if (Job.Source == U.File)
      return factsPathFor(Job.Object);
  return "";
}

} // namespace snag
