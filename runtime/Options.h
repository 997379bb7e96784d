//===- Options.h - SNAG_OPTIONS parsed into one struct --------------------===//
#ifndef SNAG_RUNTIME_OPTIONS_H
#define SNAG_RUNTIME_OPTIONS_H

namespace snag::rt {

struct Options {
#define SNAG_OPTION_bool bool
#define SNAG_OPTION_int int
#define SNAG_OPTION_string const char *
#define SNAG_OPTION(Type, Name, Default, Help) SNAG_OPTION_##Type Name = Default;
#include "Options.def"
#undef SNAG_OPTION_bool
#undef SNAG_OPTION_int
#undef SNAG_OPTION_string
};

/// The options in force; defaults until parseOptions runs.
Options &options();

/// Parses "key=value:key=value" into options(). Unknown keys and bad values
/// are named on stderr and otherwise ignored: a typo must not stop the
/// program under test. The text is copied.
void parseOptions(const char *Text);

} // namespace snag::rt

#endif
