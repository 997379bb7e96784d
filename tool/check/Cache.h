//===- Cache.h - Per-TU facts on disk, so a second run re-parses only what changed
//
// An entry is keyed by snag's own build, the TU's command line and its main
// file's content, and it lists every file the TU read (headers included)
// with its content hash: a changed header invalidates the TUs that include
// it. Content, not modification times: two edits within one timestamp tick
// must not leave stale facts. Entries are plain JSON files, written
// atomically, so parallel snag runs (or a build system running extraction as
// a compiler launcher) can share one cache.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_CHECK_CACHE_H
#define SNAG_CHECK_CACHE_H

#include "check/Facts.h"
#include "check/Sources.h"

#include "llvm/ADT/StringMap.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace snag {

class FactsCache {
public:
  /// \p Dir is the cache folder (created on first store).
  explicit FactsCache(std::string Dir);

  /// The key of \p U's entry under configuration fingerprint \p ConfigHash,
  /// or "" when the main file cannot be read.
  std::string key(const Unit &U, llvm::StringRef ConfigHash) const;
  std::optional<TUFacts> lookup(llvm::StringRef Key) const;
  void store(llvm::StringRef Key, const TUFacts &Facts,
             const std::vector<std::string> &Dependencies) const;

  /// The default folder: $XDG_CACHE_HOME/snag, else ~/.cache/snag.
  static std::string defaultDir();

private:
  /// Content hash of \p Path, each file hashed once per run: many TUs share
  /// the same headers.
  std::optional<uint64_t> contentHash(llvm::StringRef Path) const;

  std::string Dir;
  mutable std::mutex HashLock;
  mutable llvm::StringMap<std::optional<uint64_t>> Hashes;
  std::string ToolHash; // changes whenever snag itself is rebuilt
};

} // namespace snag

#endif
