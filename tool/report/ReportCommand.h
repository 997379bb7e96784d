//===- ReportCommand.h - The `snag report` subcommand ---------------------===//
#ifndef SNAG_REPORT_REPORTCOMMAND_H
#define SNAG_REPORT_REPORTCOMMAND_H

namespace snag {
/// Runs `snag report`: merges SARIF logs into one report (HTML by default).
/// argv[0] is "snag report"; the rest are its arguments.
int reportMain(int argc, const char **argv);
} // namespace snag

#endif
