//===- LockWrappers.h - The program's own lock wrappers, found in its source ===//
//
// A runtime finding belongs at the user's call site, not inside a function
// whose only job is to forward to a lock call (pigz's possess(lock *) in
// yarn.c calls pthread_mutex_lock on its parameter and reports a failure).
// Wrappers declared in .snag.yaml are known; this finds the undeclared ones
// by reading the function's definition.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUN_LOCKWRAPPERS_H
#define SNAG_RUN_LOCKWRAPPERS_H

#include "llvm/ADT/StringRef.h"

namespace snag::run {

/// Whether the function \p Name, whose definition starts at line
/// \p StartLine of \p Source, only forwards to a lock call: its body makes
/// exactly one call from the lock table (lock, try-lock, unlock, read or
/// write lock of pthread, C11 or a C++ lock object) on one of its
/// parameters (or, in a member function, a member), and otherwise only
/// declares locals, returns, and handles the call's failure (an `if` whose
/// branch reports it, an `assert`, a call around the lock call that checks
/// its result). A function
/// that loops, writes anything but its own locals, or calls anything else
/// outside a failure branch does real work and is not one.
bool isLockForwarder(llvm::StringRef Source, unsigned StartLine, llvm::StringRef Name);

} // namespace snag::run

#endif
