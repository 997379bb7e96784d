//===- LockImports.h - Lock functions one TU defines and others call ------===//
//
// A lock function (LockModel::wrapperRow: memcached's `STATS_LOCK()`, pigz's
// `possess(lock *)`) is often defined in one file and called from many. A
// TU only sees the declaration, so on the first pass it cannot tell that
// `STATS_LOCK(); stats.x++;` holds a lock. Every TU exports its lock
// functions (ProgramFacts::LockFunctions) and the user functions it calls
// without defining (ProgramFacts::Imports); the units that call one are
// analysed again with the lock functions known, until nothing new is
// learned. What a unit was told is part of its cache key, so a warm run
// parses nothing.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_CHECK_LOCKIMPORTS_H
#define SNAG_CHECK_LOCKIMPORTS_H

#include "check/Config.h"
#include "check/Driver.h"

#include <vector>

namespace snag {

/// Re-analyses the units of \p Outcomes (from analyseUnits over \p Units,
/// with \p Opts) that call lock functions other units define. Returns how
/// many analyses that took.
unsigned resolveLockImports(const std::vector<Unit> &Units,
                            std::vector<UnitOutcome> &Outcomes,
                            ConfigFinder &Configs, DriverOptions Opts);

} // namespace snag

#endif
