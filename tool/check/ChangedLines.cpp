//===- ChangedLines.cpp - Reading unified diffs and `git diff` ------------===//
#include "check/ChangedLines.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace llvm;

namespace snag {

Expected<ChangedLines> ChangedLines::fromDiff(StringRef Diff, StringRef Root) {
  ChangedLines Out;
  std::vector<std::pair<unsigned, unsigned>> *Current = nullptr;
  SmallVector<StringRef, 0> Lines;
  Diff.split(Lines, '\n');
  for (StringRef Line : Lines) {
    Line = Line.rtrim("\r");
    if (Line.consume_front("+++ ")) {
      StringRef Name = Line.split('\t').first.trim();
      if (Name == "/dev/null") {
        Current = nullptr;
        continue;
      }
      Name.consume_front("b/");
      SmallString<256> Path(Name);
      if (!sys::path::is_absolute(Path)) {
        Path = Root;
        sys::path::append(Path, Name);
      }
      sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
      Current = &Out.Ranges[Path];
      continue;
    }
    if (!Current || !Line.consume_front("@@ "))
      continue;
    // @@ -a,b +c,d @@: lines c .. c+d-1 of the new file (d defaults to 1).
    StringRef New = Line.split(' ').second.split(' ').first;
    if (!New.consume_front("+"))
      return createStringError(inconvertibleErrorCode(),
                               "malformed diff hunk header '@@ %s'",
                               Line.str().c_str());
    auto [StartText, CountText] = New.split(',');
    unsigned Start = 0, Count = 1;
    if (StartText.getAsInteger(10, Start) ||
        (!CountText.empty() && CountText.getAsInteger(10, Count)))
      return createStringError(inconvertibleErrorCode(),
                               "malformed diff hunk header '@@ %s'",
                               Line.str().c_str());
    if (Count)
      Current->push_back({Start, Start + Count - 1});
  }
  return Out;
}

static std::string currentDir() {
  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  return std::string(Cwd);
}

Expected<ChangedLines> ChangedLines::fromDiffFile(StringRef Path) {
  auto Buf = Path == "-" ? MemoryBuffer::getSTDIN()
                         : MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read diff '%s': %s",
                             Path.str().c_str(), Buf.getError().message().c_str());
  return fromDiff((*Buf)->getBuffer(), currentDir());
}

/// Runs git with \p Args in the working folder; its standard output, or an
/// error that quotes what git said.
static Expected<std::string> runGit(ArrayRef<StringRef> Args) {
  auto Git = sys::findProgramByName("git");
  if (!Git)
    return createStringError(Git.getError(),
                             "--lines-from-git needs git, which is not on PATH");
  SmallString<128> OutFile, ErrFile;
  if (std::error_code EC = sys::fs::createTemporaryFile("snag-git", "out", OutFile))
    return createStringError(EC, "cannot create a temporary file: %s",
                             EC.message().c_str());
  if (std::error_code EC = sys::fs::createTemporaryFile("snag-git", "err", ErrFile))
    return createStringError(EC, "cannot create a temporary file: %s",
                             EC.message().c_str());
  std::vector<StringRef> Argv{*Git};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(OutFile),
                                          StringRef(ErrFile)};
  std::string ExecError;
  int Status = sys::ExecuteAndWait(*Git, Argv, std::nullopt, Redirects, 0, 0,
                                   &ExecError);
  auto Out = MemoryBuffer::getFile(OutFile);
  auto Err = MemoryBuffer::getFile(ErrFile);
  sys::fs::remove(OutFile);
  sys::fs::remove(ErrFile);
  if (Status != 0) {
    std::string Said = Err ? (*Err)->getBuffer().trim().str() : ExecError;
    return createStringError(inconvertibleErrorCode(), "git %s failed: %s",
                             Args.front().str().c_str(), Said.c_str());
  }
  return Out ? (*Out)->getBuffer().str() : std::string();
}

Expected<ChangedLines> ChangedLines::fromGit(StringRef Ref) {
  auto Top = runGit({"rev-parse", "--show-toplevel"});
  if (!Top)
    return Top.takeError();
  // Working tree against REF: what a pull request would add, uncommitted
  // edits included. -U0: hunks are exactly the changed lines.
  auto Diff = runGit({"diff", "-U0", "--no-color", "--no-ext-diff",
                      "--src-prefix=a/", "--dst-prefix=b/", Ref, "--"});
  if (!Diff)
    return Diff.takeError();
  return fromDiff(*Diff, StringRef(*Top).trim());
}

bool ChangedLines::contains(const SourcePoint &P) const {
  auto It = Ranges.find(P.File);
  if (It == Ranges.end())
    return false;
  for (auto [First, Last] : It->second)
    if (P.Line >= First && P.Line <= Last)
      return true;
  return false;
}

} // namespace snag
