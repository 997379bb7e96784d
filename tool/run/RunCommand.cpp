//===- RunCommand.cpp - The `snag run` subcommand -------------------------===//
#include "run/RunCommand.h"
#include "llvm/Support/raw_ostream.h"

int snag::runMain(int argc, const char **argv) {
  llvm::errs() << "snag run: not built yet\n";
  return 2;
}
