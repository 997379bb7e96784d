//===- ReportFolder.h - snag run's private report folder, by descriptor ---===//
//
// The folder the runtime writes its per-process files into, and
// ThreadSanitizer its logs. It is made with mkdtemp, opened once
// (O_DIRECTORY|O_NOFOLLOW), checked with fstat (owned by us, mode 0700),
// and from then on every read, listing and removal goes through that
// descriptor (openat, unlinkat). A folder on the way that someone else
// controls can be swapped for a symbolic link mid-run; snag then still
// reads and empties only the folder it made.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUN_REPORTFOLDER_H
#define SNAG_RUN_REPORTFOLDER_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>
#include <vector>

namespace snag::run {

struct FolderFile {
  std::string Name; // the file's name inside the folder
  std::string Text;
};

class ReportFolder {
public:
  ReportFolder() = default;
  ReportFolder(const ReportFolder &) = delete;
  ReportFolder &operator=(const ReportFolder &) = delete;
  ~ReportFolder();

  /// Makes the folder under \p Parent. On failure returns false and sets
  /// \p Error.
  bool create(llvm::StringRef Parent, std::string &Error);

  const std::string &path() const { return Path; }

  /// The regular files whose names start with \p Prefix, sorted by name.
  /// Links and other non-files are skipped and named in \p Errors.
  std::vector<FolderFile> read(llvm::StringRef Prefix, std::vector<std::string> &Errors) const;

  /// Empties the folder through its descriptor and removes it, if its name
  /// in the parent still leads to it. False (and \p Error) when some of it
  /// could not be removed.
  bool remove(std::string &Error);

private:
  int Fd = -1;       // the folder
  int ParentFd = -1; // the folder it was made in
  std::string Path;
  std::string Name;
  unsigned long Device = 0, Inode = 0;
};

} // namespace snag::run

#endif
