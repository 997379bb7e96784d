//===- Sources.cpp - Compilation databases and built-in defaults ----------===//
#include "check/Sources.h"

#include "clang/Driver/Options.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <map>
#include <memory>

using namespace llvm;
using namespace clang::tooling;

namespace snag {

namespace {

enum class Lang { None, C, Cxx, CHeader, CxxHeader };

Lang languageOf(StringRef Path) {
  StringRef Ext = sys::path::extension(Path);
  return StringSwitch<Lang>(Ext)
      .Case(".c", Lang::C)
      .Cases(".cc", ".cpp", ".cxx", ".c++", ".C", ".cp", ".CPP", Lang::Cxx)
      .Case(".h", Lang::CxxHeader) // most .h files in a C++ tree are C++
      .Cases(".hh", ".hpp", ".hxx", ".h++", ".H", ".inl", ".ipp", Lang::CxxHeader)
      .Default(Lang::None);
}

std::string absolute(StringRef Path) {
  SmallString<256> Abs(Path);
  sys::fs::make_absolute(Abs);
  sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

/// Databases by the path of their compile_commands.json, loaded once.
class Databases {
public:
  Expected<CompilationDatabase *> load(StringRef JsonPath) {
    auto It = Loaded.find(JsonPath.str());
    if (It != Loaded.end())
      return It->second.get();
    std::string Err;
    auto DB = JSONCompilationDatabase::loadFromFile(JsonPath, Err,
                                                    JSONCommandLineSyntax::AutoDetect);
    if (!DB)
      return createStringError(inconvertibleErrorCode(),
                               "cannot read compilation database '%s': %s",
                               JsonPath.str().c_str(), Err.c_str());
    // Response files (@file.rsp, as CMake writes them for long command
    // lines) are read relative to each command's folder. Files the database
    // does not list (headers, new files) get the command of the most
    // similar file it does list.
    auto Interpolating = inferMissingCompileCommands(
        expandResponseFiles(std::move(DB), vfs::getRealFileSystem()));
    CompilationDatabase *Raw = Interpolating.get();
    Loaded[JsonPath.str()] = std::move(Interpolating);
    return Raw;
  }

  std::vector<std::string> paths() const {
    std::vector<std::string> Out;
    for (auto &KV : Loaded)
      Out.push_back(KV.first);
    return Out;
  }

private:
  std::map<std::string, std::unique_ptr<CompilationDatabase>> Loaded;
};

/// compile_commands.json in \p Dir or an ancestor (or their build/), or "".
std::string findDatabaseUpward(StringRef Start) {
  SmallString<256> Dir(Start);
  while (!Dir.empty()) {
    for (StringRef Sub : {"", "build"}) {
      SmallString<256> Candidate(Dir);
      sys::path::append(Candidate, Sub, "compile_commands.json");
      if (sys::fs::is_regular_file(Candidate))
        return std::string(Candidate);
    }
    StringRef Parent = sys::path::parent_path(Dir);
    if (Parent == Dir)
      break;
    Dir = Parent;
  }
  return "";
}

CompileCommand defaultCommand(StringRef File, ArrayRef<std::string> Extra) {
  Lang L = languageOf(File);
  bool IsC = L == Lang::C || L == Lang::CHeader;
  std::vector<std::string> Args{IsC ? "clang" : "clang++", "-x",
                                IsC ? "c" : "c++",
                                IsC ? "-std=gnu17" : "-std=c++20", "-pthread"};
  Args.insert(Args.end(), Extra.begin(), Extra.end());
  Args.push_back(File.str());
  // Flags after `--` were typed here: relative paths in them (-I include)
  // mean this folder, as they would to a compiler run here.
  SmallString<256> Cwd;
  if (sys::fs::current_path(Cwd))
    Cwd = sys::path::parent_path(File);
  return CompileCommand(Cwd, File, std::move(Args), "");
}

bool isUnder(StringRef File, StringRef Dir) {
  return File.starts_with(Dir) &&
         (File.size() == Dir.size() || File[Dir.size()] == '/' ||
          Dir.ends_with("/"));
}

/// Every C/C++ source below \p Dir, skipping hidden folders and build trees.
/// Folders are visited by their real path, each once, so a symbolic link
/// that points up the tree neither repeats files nor loops; files are named
/// by their real path, each once. A folder that cannot be read is reported
/// in \p Errors and the walk goes on.
std::vector<std::string> walkSources(StringRef Dir,
                                     std::vector<std::string> &Errors) {
  std::vector<std::string> Out;
  StringSet<> SeenDirs, SeenFiles;
  std::vector<std::string> Pending{Dir.str()};
  while (!Pending.empty()) {
    std::string Current = std::move(Pending.back());
    Pending.pop_back();
    SmallString<256> Real;
    if (sys::fs::real_path(Current, Real) || !SeenDirs.insert(Real).second)
      continue;
    std::error_code EC;
    for (sys::fs::directory_iterator It(Real, EC), End; It != End && !EC;
         It.increment(EC)) {
      StringRef Name = sys::path::filename(It->path());
      sys::fs::file_status Status;
      if (sys::fs::status(It->path(), Status, /*Follow=*/true))
        continue; // a dangling symbolic link
      if (sys::fs::is_directory(Status)) {
        SmallString<256> Cache(It->path());
        sys::path::append(Cache, "CMakeCache.txt");
        if (!Name.starts_with(".") && !sys::fs::exists(Cache))
          Pending.push_back(It->path());
        continue;
      }
      if (!isSourceFile(It->path()) || !sys::fs::is_regular_file(Status))
        continue;
      SmallString<256> RealFile;
      if (sys::fs::real_path(It->path(), RealFile))
        continue;
      if (SeenFiles.insert(RealFile).second)
        Out.push_back(std::string(RealFile));
    }
    if (EC)
      Errors.push_back("cannot read folder '" + Current + "': " + EC.message());
  }
  std::sort(Out.begin(), Out.end());
  return Out;
}

/// Flags Clang's driver knows but rejects for the usual targets, where gcc
/// takes them: dropped like the flags it does not know at all.
constexpr StringRef RejectedPrefixes[] = {
    "-mabi=", "-mno-fp-ret-in-387", "-mpreferred-stack-boundary=",
    "-mindirect-branch-register", "-mindirect-branch=", "-mfunction-return=",
    "-mrecord-mcount", "-fconserve-stack", "-fno-allow-store-data-races",
};

} // namespace

std::vector<std::string> dropFlagsClangRejects(std::vector<std::string> &Args) {
  std::vector<std::string> Dropped;
  if (Args.size() < 2)
    return Dropped;
  const opt::OptTable &Table = clang::driver::getDriverOptTable();
  std::vector<const char *> Argv;
  for (size_t I = 1; I < Args.size(); ++I)
    Argv.push_back(Args[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  opt::InputArgList Parsed =
      Table.ParseArgs(Argv, MissingIndex, MissingCount,
                      opt::Visibility(clang::driver::options::ClangOption));
  std::vector<bool> Drop(Args.size(), false);
  for (const opt::Arg *A : Parsed.filtered(clang::driver::options::OPT_UNKNOWN))
    Drop[A->getIndex() + 1] = true;
  for (size_t I = 1; I < Args.size(); ++I)
    for (StringRef Prefix : RejectedPrefixes)
      if (StringRef(Args[I]).starts_with(Prefix))
        Drop[I] = true;
  std::vector<std::string> Kept;
  for (size_t I = 0; I < Args.size(); ++I)
    (Drop[I] ? Dropped : Kept).push_back(std::move(Args[I]));
  Args = std::move(Kept);
  return Dropped;
}

bool isExcluded(StringRef Path, const std::vector<std::string> &Globs) {
  if (Globs.empty())
    return false;
  static const std::string Cwd = [] {
    SmallString<256> Dir;
    return sys::fs::current_path(Dir) ? std::string() : std::string(Dir) + "/";
  }();
  StringRef Rel = Path;
  if (!Cwd.empty())
    Rel.consume_front(Cwd);
  for (StringRef G : Globs)
    if (auto Pattern = GlobPattern::create(G))
      if (Pattern->match(Path) || Pattern->match(Rel) ||
          Pattern->match(sys::path::filename(Path)))
        return true;
  return false;
}

namespace {
/// Whether a database entry's folder exists: Clang cannot run without it.
std::string problemWith(const CompileCommand &Cmd) {
  if (!sys::fs::is_directory(Cmd.Directory))
    return "its compile_commands.json entry names a directory that does not "
           "exist: '" +
           Cmd.Directory + "'";
  return "";
}
} // namespace

bool isSourceFile(StringRef Path) {
  Lang L = languageOf(Path);
  return L == Lang::C || L == Lang::Cxx;
}

bool isCOrCxxFile(StringRef Path) { return languageOf(Path) != Lang::None; }

Expected<SourcePlan> planSources(const SourceRequest &Req) {
  Databases DBs;
  SourcePlan Plan;
  StringSet<> Seen;
  auto Add = [&](std::string File, CompileCommand Cmd) {
    if (isExcluded(File, Req.Exclude) || !Seen.insert(File).second)
      return;
    auto &Args = Cmd.CommandLine;
    std::string Problem = problemWith(Cmd);
    std::vector<std::string> Dropped = dropFlagsClangRejects(Args);
    if (!Dropped.empty())
      Plan.Notes.push_back(File + ": dropped compiler flags Clang does not "
                                  "accept: " +
                           join(Dropped, " "));
    // --extra-arg-before right after the compiler; the flags after `--`
    // and --extra-arg before a `--` that ends the command's options.
    Args.insert(Args.begin() + std::min<size_t>(1, Args.size()),
                Req.ExtraArgsBefore.begin(), Req.ExtraArgsBefore.end());
    auto At = std::find(Args.begin(), Args.end(), "--");
    At = Args.insert(At, Req.ExtraFlags.begin(), Req.ExtraFlags.end()) +
         Req.ExtraFlags.size();
    Args.insert(At, Req.ExtraArgs.begin(), Req.ExtraArgs.end());
    Plan.Units.push_back(Unit{std::move(File), std::move(Cmd), std::move(Problem)});
  };

  CompilationDatabase *Fixed = nullptr;
  if (!Req.BuildDir.empty()) {
    SmallString<256> Json(absolute(Req.BuildDir));
    if (!sys::fs::is_directory(Json))
      return createStringError(inconvertibleErrorCode(),
                               "build folder '%s' does not exist",
                               Req.BuildDir.c_str());
    sys::path::append(Json, "compile_commands.json");
    if (!sys::fs::exists(Json))
      return createStringError(
          inconvertibleErrorCode(),
          "no compile_commands.json in '%s' (configure with "
          "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or use bear)",
          Req.BuildDir.c_str());
    auto DB = DBs.load(Json);
    if (!DB)
      return DB.takeError();
    Fixed = *DB;
  }

  auto DatabaseFor = [&](StringRef Path) -> Expected<CompilationDatabase *> {
    if (Fixed || Req.FlagsGiven)
      return Fixed;
    std::string Json = findDatabaseUpward(
        sys::fs::is_directory(Path) ? Path : sys::path::parent_path(Path));
    if (Json.empty())
      return nullptr;
    return DBs.load(Json);
  };

  // A database applies to the files it lists and, by interpolation, to
  // other files in folders where it lists sources (headers, new files). A
  // database found upward that knows nothing of a file's folder belongs to
  // another project sharing a parent folder: the defaults fit better.
  std::map<CompilationDatabase *, StringSet<>> KnownDirs;
  auto Covers = [&](CompilationDatabase *DB, StringRef File) {
    auto [It, Fresh] = KnownDirs.try_emplace(DB);
    if (Fresh)
      for (const std::string &F : DB->getAllFiles())
        It->second.insert(sys::path::parent_path(absolute(F)));
    return It->second.contains(sys::path::parent_path(File));
  };
  auto CommandFor = [&](CompilationDatabase *DB, StringRef File) {
    if (DB && (DB == Fixed || Covers(DB, File))) {
      std::vector<CompileCommand> Cmds = DB->getCompileCommands(File);
      if (!Cmds.empty())
        return Cmds.front();
    }
    return defaultCommand(File, {});
  };

  if (Req.Paths.empty()) {
    if (!Fixed)
      return createStringError(inconvertibleErrorCode(),
                               "no input: name a file or a folder, or a build "
                               "folder with -p");
    for (const std::string &File : Fixed->getAllFiles())
      if (isSourceFile(File))
        Add(absolute(File), CommandFor(Fixed, File));
  }

  for (const std::string &Given : Req.Paths) {
    std::string Path = absolute(Given);
    sys::fs::file_status Status;
    if (sys::fs::status(Path, Status) || !sys::fs::exists(Status))
      return createStringError(inconvertibleErrorCode(),
                               "'%s': no such file or folder", Given.c_str());
    auto DB = DatabaseFor(Path);
    if (!DB)
      return DB.takeError();
    if (sys::fs::is_directory(Status)) {
      std::vector<std::string> Files;
      if (*DB) {
        for (const std::string &F : (*DB)->getAllFiles())
          if (isSourceFile(F) && isUnder(absolute(F), Path))
            Files.push_back(absolute(F));
        std::sort(Files.begin(), Files.end());
      }
      if (Files.empty())
        Files = walkSources(Path, Plan.Errors);
      if (Files.empty() && !Plan.Errors.empty())
        return createStringError(inconvertibleErrorCode(), Plan.Errors.back());
      if (Files.empty())
        return createStringError(inconvertibleErrorCode(),
                                 "'%s' holds no C or C++ source file",
                                 Given.c_str());
      for (const std::string &F : Files)
        Add(F, CommandFor(*DB, F));
      continue;
    }
    if (!isCOrCxxFile(Path))
      return createStringError(inconvertibleErrorCode(),
                               "'%s' is not a C or C++ file (by its extension)",
                               Given.c_str());
    Add(Path, CommandFor(*DB, Path));
  }
  Plan.Databases = DBs.paths();
  return Plan;
}

} // namespace snag
