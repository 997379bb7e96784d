//===- CheckCommand.h - The `snag check` subcommand -----------------------===//
#ifndef SNAG_CHECK_CHECKCOMMAND_H
#define SNAG_CHECK_CHECKCOMMAND_H

namespace snag {
/// Runs `snag check`. argv[0] is "snag check"; the rest are its arguments.
int checkMain(int argc, const char **argv);
} // namespace snag

#endif
