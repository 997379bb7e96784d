//===- main.cpp - snag: find concurrency bugs in C and C++ programs -------===//
#include "Version.h"
#include "check/CheckCommand.h"
#include "check/FactsCommand.h"
#include "report/ReportCommand.h"
#include "run/RunCommand.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <string>
#include <vector>

namespace snag {
void printRuleList(llvm::raw_ostream &OS);
}

static const char Usage[] =
    "usage: snag <command> [options]\n"
    "\n"
    "commands:\n"
    "  check [options] PATH... [-- FLAGS]   read C/C++ source and report "
    "concurrency bugs\n"
    "  run [options] -- PROGRAM ARGS...     run a program and report lock and "
    "thread misuse\n"
    "  facts [--] COMPILER ARGS...          compiler launcher: compile, then "
    "write the\n"
    "                                       file's facts beside its object "
    "(foo.o.snag)\n"
    "  report [options] LOG.sarif... -o out.html\n"
    "                                       merge SARIF logs into one report "
    "(HTML)\n"
    "\n"
    "  snag --list-rules    the rules and what finds them\n"
    "  snag --version\n"
    "  snag <command> --help\n";

int main(int argc, const char **argv) {
  llvm::InitLLVM Init(argc, argv);
  if (argc < 2) {
    llvm::errs() << Usage;
    return 2;
  }
  std::string Command = argv[1];
  if (Command == "facts") {
    // A launcher takes the compiler command as it is: no option parsing.
    std::vector<const char *> Args{"snag facts"};
    Args.insert(Args.end(), argv + 2, argv + argc);
    return snag::factsMain(Args.size(), Args.data());
  }
  if (Command == "check" || Command == "run" || Command == "report") {
    // The subcommand sees "snag check" as its program name.
    std::string Name = "snag " + Command;
    std::vector<const char *> Args{Name.c_str()};
    Args.insert(Args.end(), argv + 2, argv + argc);
    int Argc = Args.size();
    if (Command == "report")
      return snag::reportMain(Argc, Args.data());
    return Command == "check" ? snag::checkMain(Argc, Args.data())
                              : snag::runMain(Argc, Args.data());
  }
  if (Command == "--help" || Command == "-h" || Command == "help") {
    llvm::outs() << Usage;
    return 0;
  }
  if (Command == "--version") {
    llvm::outs() << "snag " << SNAG_VERSION << " (LLVM " << SNAG_LLVM_VERSION
                 << ")\n";
    return 0;
  }
  if (Command == "--list-rules") {
    snag::printRuleList(llvm::outs());
    return 0;
  }
  llvm::WithColor::error(llvm::errs(), "snag")
      << "unknown command '" << Command << "'\n"
      << Usage;
  return 2;
}
