//===- RunCommand.h - The `snag run` subcommand ---------------------------===//
#ifndef SNAG_RUN_RUNCOMMAND_H
#define SNAG_RUN_RUNCOMMAND_H

namespace snag {
/// Runs `snag run`. argv[0] is "snag run"; the rest are its arguments.
int runMain(int argc, const char **argv);
} // namespace snag

#endif
