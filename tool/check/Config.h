//===- Config.h - .snag.yaml: rules, skipped paths, user lock/thread APIs -===//
//
// A `.snag.yaml` is found upward from each analysed file, like
// `.clang-tidy`, and read with LLVM's YAML support:
//
//   rules: ['*', '-leaked-thread']     # globs over rule ids, last match wins
//   skip: ['third_party/*', '*_test.cc']
//   locks:                             # the user's own lock functions
//     - {function: possess, action: acquire, lock-arg: 0}
//     - {function: release, action: release, lock-arg: 0}
//   threads:                           # the user's own thread functions
//     - {function: 'Pool::submit', entry-arg: 0, instances: many}
//     - {function: uv_thread_create, handle-arg: 0, entry-arg: 1}
//     - {function: uv_thread_join, action: join, handle-arg: 0}
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_CHECK_CONFIG_H
#define SNAG_CHECK_CONFIG_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace snag {

/// What a user lock function does to the lock named by its argument.
enum class LockAction { Acquire, AcquireShared, TryAcquire, Release };

struct UserLockFunction {
  std::string Function; // qualified or plain name
  LockAction Action = LockAction::Acquire;
  unsigned LockArg = 0; // which argument is the lock (this for methods: 0 = object)
};

/// What a user thread function does: start a thread, or join or detach the
/// thread whose handle it is given.
enum class ThreadAction { Start, Join, Detach };

struct UserThreadFunction {
  std::string Function;
  ThreadAction Action = ThreadAction::Start;
  unsigned EntryArg = 0; // start: the callable that runs on the new thread
  bool Many = true;      // start: whether several instances may run at once
  /// The thread's handle: for a start, a pointer to the handle the call
  /// fills in (like pthread_create's first argument); for a join or detach,
  /// the handle or a pointer to it. -1 for a start that keeps no handle (a
  /// pool owns the thread: today's behaviour); joins and detaches default
  /// to argument 0.
  int HandleArg = -1;
};

struct Config {
  std::string Path; // the .snag.yaml it came from; empty for the defaults
  std::vector<std::string> Rules;
  std::vector<std::string> Skip;
  std::vector<UserLockFunction> Locks;
  std::vector<UserThreadFunction> Threads;

  bool ruleEnabled(llvm::StringRef Id) const;
  /// Whether \p File (absolute) is under a `skip` glob, matched against the
  /// path relative to the configuration's folder and against the file name.
  bool skips(llvm::StringRef File) const;
  /// A hash of everything that changes what extraction produces.
  std::string fingerprint() const;
};

/// Finds and parses configurations, each folder once. Thread-safe.
class ConfigFinder {
public:
  /// \p ConfigFile, when not empty, is used for every file instead of the
  /// .snag.yaml found upward (--config-file). \p ExtraRules (--rules) are
  /// read after each configuration's own `rules`, so they win.
  explicit ConfigFinder(std::string ConfigFile = "",
                        std::vector<std::string> ExtraRules = {});

  /// The configuration that applies to \p File. Fails when a .snag.yaml on
  /// the way up cannot be read or parsed.
  llvm::Expected<std::shared_ptr<const Config>> forFile(llvm::StringRef File);

private:
  llvm::Expected<std::shared_ptr<const Config>> forDir(llvm::StringRef Dir);
  llvm::Expected<std::shared_ptr<const Config>> load(llvm::StringRef Path);
  std::string ConfigFile;
  std::vector<std::string> ExtraRules;
  std::mutex Lock;
  llvm::StringMap<std::shared_ptr<const Config>> ByDir;
};

/// Parses one configuration file's text (exposed for tests). Rule names in
/// `rules` must name a rule (or, as globs, match one).
llvm::Expected<Config> parseConfig(llvm::StringRef Text, llvm::StringRef Path);

/// Writes \p C as YAML that parseConfig reads back (--dump-config).
void printConfig(const Config &C, llvm::raw_ostream &OS);

/// Splits a comma-separated --rules value into its selectors.
std::vector<std::string> splitRuleList(llvm::StringRef List);

} // namespace snag

#endif
