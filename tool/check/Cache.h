//===- Cache.h - Per-TU facts on disk, so a second run re-parses only what changed
//
// An entry is keyed by snag's own build, the TU's command line and its main
// file's content, and it lists every file the TU read (headers included)
// with its content hash: a changed header invalidates the TUs that include
// it. Content, not modification times: two edits within one timestamp tick
// must not leave stale facts. Entries are plain JSON files, written
// atomically, so parallel snag runs can share one cache. `snag facts`, the
// compiler launcher, writes the same entries beside each object file
// (foo.o.snag), and `snag check` reads them through the same code.
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

/// What a facts entry on disk holds for the key it is asked about.
struct FactsEntry {
  enum Kind {
    Missing, // no entry, or one that cannot be read
    Stale,   // an entry for other inputs (another key, a changed header)
    Fresh,   // facts for exactly these inputs
    Failed,  // a marker: extraction failed for exactly these inputs
  } State = Missing;
  TUFacts Facts;     // when Fresh
  std::string Error; // when Failed: why
};

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

  /// The entry in the file \p Path (the cache's own, or one the launcher
  /// wrote beside an object file), checked against \p Key and against the
  /// content of every file it lists.
  FactsEntry read(llvm::StringRef Path, llvm::StringRef Key) const;
  /// Writes \p Facts, or when \p Facts is null the failure marker \p Error,
  /// as the entry for \p Key in the file \p Path, atomically. False when it
  /// could not be written.
  bool write(llvm::StringRef Path, llvm::StringRef Key, const TUFacts *Facts,
             llvm::StringRef Error,
             const std::vector<std::string> &Dependencies) const;

  /// The default folder: $XDG_CACHE_HOME/snag, else ~/.cache/snag.
  static std::string defaultDir();

private:
  /// Where the cache keeps the entry for \p Key.
  std::string entryPath(llvm::StringRef Key) const;
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
