//===- FactsCommand.h - `snag facts`, the compiler launcher ---------------===//
#ifndef SNAG_CHECK_FACTSCOMMAND_H
#define SNAG_CHECK_FACTSCOMMAND_H

namespace snag {
/// Runs `snag facts [--] COMPILER ARGS...`: the compiler, unchanged, then
/// the facts of each object it made, written beside the object. argv[0] is
/// "snag facts". Returns the compiler's exit status.
int factsMain(int argc, const char **argv);
} // namespace snag

#endif
