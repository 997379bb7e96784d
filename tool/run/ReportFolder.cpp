//===- ReportFolder.cpp - snag run's private report folder, by descriptor -===//
#include "run/ReportFolder.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;

namespace snag::run {

namespace {

std::string errorText(int Err) { return strerror(Err); }

/// Names in the folder \p Fd (a copy of the descriptor is consumed).
std::vector<std::string> listFolder(int Fd) {
  std::vector<std::string> Names;
  int Copy = dup(Fd);
  if (Copy < 0)
    return Names;
  DIR *D = fdopendir(Copy);
  if (!D) {
    close(Copy);
    return Names;
  }
  rewinddir(D);
  while (struct dirent *E = readdir(D)) {
    StringRef N(E->d_name);
    if (N != "." && N != "..")
      Names.push_back(N.str());
  }
  closedir(D);
  llvm::sort(Names);
  return Names;
}

/// Empties the folder \p Fd, descending into folders (never following
/// links). False when something stays.
bool emptyFolder(int Fd, int Depth) {
  bool Ok = true;
  for (const std::string &N : listFolder(Fd)) {
    struct stat St;
    if (fstatat(Fd, N.c_str(), &St, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    if (S_ISDIR(St.st_mode) && Depth < 8) {
      int Sub = openat(Fd, N.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (Sub >= 0) {
        Ok &= emptyFolder(Sub, Depth + 1);
        close(Sub);
      }
      Ok &= unlinkat(Fd, N.c_str(), AT_REMOVEDIR) == 0;
    } else {
      Ok &= unlinkat(Fd, N.c_str(), 0) == 0;
    }
  }
  return Ok;
}

} // namespace

ReportFolder::~ReportFolder() {
  if (Fd >= 0)
    close(Fd);
  if (ParentFd >= 0)
    close(ParentFd);
}

bool ReportFolder::create(StringRef Parent, std::string &Error) {
  SmallString<256> Template(Parent);
  sys::path::append(Template, "snag-run.XXXXXX");
  std::string Buf(Template.str());
  ParentFd = open(Parent.str().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (ParentFd < 0) {
    Error = "cannot open " + Parent.str() + ": " + errorText(errno);
    return false;
  }
  if (!mkdtemp(Buf.data())) {
    Error = "cannot create a report folder in " + Parent.str() + ": " + errorText(errno);
    return false;
  }
  Path = Buf;
  Name = sys::path::filename(Path).str();
  // Opened through the parent opened before: if the path was swapped in
  // between, the name is not there or is not ours, and the checks fail.
  Fd = openat(ParentFd, Name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0) {
    Error = "cannot open the report folder " + Path + ": " + errorText(errno);
    return false;
  }
  struct stat St;
  if (fstat(Fd, &St) != 0 || !S_ISDIR(St.st_mode) || St.st_uid != geteuid() ||
      (St.st_mode & 07777) != 0700) {
    Error = "the report folder " + Path +
            " is not a folder of this user's with mode 0700; something replaced it";
    close(Fd);
    Fd = -1;
    return false;
  }
  Device = St.st_dev;
  Inode = St.st_ino;
  return true;
}

std::vector<FolderFile> ReportFolder::read(StringRef Prefix,
                                           std::vector<std::string> &Errors) const {
  std::vector<FolderFile> Files;
  if (Fd < 0)
    return Files;
  for (const std::string &N : listFolder(Fd)) {
    if (!StringRef(N).starts_with(Prefix))
      continue;
    int F = openat(Fd, N.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (F < 0) {
      Errors.push_back("cannot read " + Path + "/" + N + ": " + errorText(errno));
      continue;
    }
    struct stat St;
    if (fstat(F, &St) != 0 || !S_ISREG(St.st_mode)) {
      Errors.push_back(Path + "/" + N + " is not a regular file; skipped");
      close(F);
      continue;
    }
    FolderFile File{N, {}};
    char Chunk[65536];
    for (;;) {
      ssize_t Got = ::read(F, Chunk, sizeof(Chunk));
      if (Got < 0 && errno == EINTR)
        continue;
      if (Got <= 0)
        break;
      File.Text.append(Chunk, static_cast<size_t>(Got));
    }
    close(F);
    Files.push_back(std::move(File));
  }
  return Files;
}

bool ReportFolder::remove(std::string &Error) {
  if (Fd < 0)
    return true;
  bool Ok = emptyFolder(Fd, 0);
  // Remove the name only if it still leads to our folder.
  struct stat St;
  if (fstatat(ParentFd, Name.c_str(), &St, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(St.st_mode) &&
      St.st_dev == Device && St.st_ino == Inode)
    Ok &= unlinkat(ParentFd, Name.c_str(), AT_REMOVEDIR) == 0;
  else
    Ok = false;
  close(Fd);
  Fd = -1;
  if (!Ok)
    Error = "could not remove all of the report folder " + Path;
  return Ok;
}

} // namespace snag::run
