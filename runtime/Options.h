//===- Options.h - SNAG_OPTIONS parsed into one struct --------------------===//
#ifndef SNAG_RUNTIME_OPTIONS_H
#define SNAG_RUNTIME_OPTIONS_H

namespace snag::rt {

struct Options {
#define SNAG_OPTION_bool bool
#define SNAG_OPTION_int int
#define SNAG_OPTION_string const char *
#define SNAG_OPTION(Type, Name, Default, Min, Max, Help) SNAG_OPTION_##Type Name = Default;
#include "Options.def"
#undef SNAG_OPTION_bool
#undef SNAG_OPTION_int
#undef SNAG_OPTION_string
};

/// The options in force; defaults until parseOptions runs.
Options &options();

/// Parses "key=value:key=value" into options(). Returns false, with
/// options() untouched by the bad item, when an item names no option or has
/// a bad value; \p Bad then points at that item and \p BadLen is its length.
/// The text is copied.
bool parseOptions(const char *Text, const char *&Bad, unsigned long &BadLen);

} // namespace snag::rt

#endif
