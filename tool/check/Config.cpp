//===- Config.cpp - Reading .snag.yaml ------------------------------------===//
#include "check/Config.h"
#include "report/Suppressions.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/xxhash.h"

using namespace llvm;

namespace llvm::yaml {

template <> struct ScalarEnumerationTraits<snag::LockAction> {
  static void enumeration(IO &IO, snag::LockAction &A) {
    IO.enumCase(A, "acquire", snag::LockAction::Acquire);
    IO.enumCase(A, "acquire-shared", snag::LockAction::AcquireShared);
    IO.enumCase(A, "try-acquire", snag::LockAction::TryAcquire);
    IO.enumCase(A, "release", snag::LockAction::Release);
  }
};

template <> struct MappingTraits<snag::UserLockFunction> {
  static void mapping(IO &IO, snag::UserLockFunction &F) {
    IO.mapRequired("function", F.Function);
    IO.mapRequired("action", F.Action);
    IO.mapOptional("lock-arg", F.LockArg, 0u);
  }
};

template <> struct ScalarEnumerationTraits<snag::ThreadAction> {
  static void enumeration(IO &IO, snag::ThreadAction &A) {
    IO.enumCase(A, "start", snag::ThreadAction::Start);
    IO.enumCase(A, "join", snag::ThreadAction::Join);
    IO.enumCase(A, "detach", snag::ThreadAction::Detach);
  }
};

template <> struct MappingTraits<snag::UserThreadFunction> {
  static void mapping(IO &IO, snag::UserThreadFunction &F) {
    IO.mapRequired("function", F.Function);
    IO.mapOptional("action", F.Action, snag::ThreadAction::Start);
    std::optional<unsigned> EntryArg, HandleArg;
    std::optional<std::string> Instances;
    if (IO.outputting()) {
      EntryArg = F.EntryArg;
      Instances = F.Many ? "many" : "one";
      if (F.HandleArg >= 0)
        HandleArg = unsigned(F.HandleArg);
    }
    IO.mapOptional("entry-arg", EntryArg);
    IO.mapOptional("instances", Instances);
    IO.mapOptional("handle-arg", HandleArg);
    // After an error the keys that follow are left unread (empty): only
    // check a row that was read whole. Only yaml::Input reads.
    if (IO.outputting() || static_cast<Input &>(IO).error())
      return;
    bool Start = F.Action == snag::ThreadAction::Start;
    if (!Start && (EntryArg || Instances)) {
      IO.setError("entry-arg and instances are for action 'start' only");
      return;
    }
    if (Instances && *Instances != "many" && *Instances != "one") {
      IO.setError("instances must be 'one' or 'many'");
      return;
    }
    F.EntryArg = EntryArg.value_or(0);
    F.Many = !Instances || *Instances == "many";
    F.HandleArg = HandleArg ? int(*HandleArg) : Start ? -1 : 0;
    if (Start && HandleArg && *HandleArg == F.EntryArg)
      IO.setError("handle-arg and entry-arg name the same argument");
  }
};

template <> struct MappingTraits<snag::Config> {
  static void mapping(IO &IO, snag::Config &C) {
    IO.mapOptional("rules", C.Rules);
    IO.mapOptional("skip", C.Skip);
    IO.mapOptional("locks", C.Locks);
    IO.mapOptional("threads", C.Threads);
  }
};

} // namespace llvm::yaml

LLVM_YAML_IS_SEQUENCE_VECTOR(snag::UserLockFunction)
LLVM_YAML_IS_SEQUENCE_VECTOR(snag::UserThreadFunction)

namespace snag {

static bool globMatches(StringRef Glob, StringRef Text) {
  auto Pattern = GlobPattern::create(Glob);
  return Pattern && Pattern->match(Text);
}

bool Config::ruleEnabled(StringRef Id) const {
  bool Enabled = true;
  for (StringRef G : Rules) {
    bool Negative = G.consume_front("-");
    G.consume_front("snag-");
    if (globMatches(G, Id))
      Enabled = !Negative;
  }
  return Enabled;
}

bool Config::skips(StringRef File) const {
  if (Skip.empty())
    return false;
  StringRef Rel = File;
  StringRef Base = sys::path::parent_path(Path);
  if (!Base.empty() && Rel.consume_front(Base))
    Rel.consume_front("/");
  for (StringRef G : Skip)
    if (globMatches(G, Rel) || globMatches(G, sys::path::filename(File)) ||
        globMatches(G, File))
      return true;
  return false;
}

std::string Config::fingerprint() const {
  // Rules and skipped paths decide which findings a TU's facts keep.
  std::string Material;
  for (const std::string &R : Rules)
    Material += "rule:" + R + ";";
  for (const std::string &S : Skip)
    Material += "skip:" + S + ";";
  for (const UserLockFunction &L : Locks)
    Material += L.Function + "/" + std::to_string(int(L.Action)) + "/" +
                std::to_string(L.LockArg) + ";";
  for (const UserThreadFunction &T : Threads)
    Material += T.Function + "/" + std::to_string(int(T.Action)) + "/" +
                std::to_string(T.EntryArg) + "/" +
                std::to_string(T.HandleArg) + (T.Many ? "/many;" : "/one;");
  return utohexstr(xxh3_64bits(arrayRefFromStringRef(Material)));
}

std::vector<std::string> splitRuleList(StringRef List) {
  SmallVector<StringRef, 8> Parts;
  List.split(Parts, ',', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Out;
  for (StringRef P : Parts)
    if (!P.trim().empty())
      Out.push_back(P.trim().str());
  return Out;
}

Expected<Config> parseConfig(StringRef Text, StringRef Path) {
  Config C;
  C.Path = Path.str();
  std::string Message;
  yaml::Input In(Text, nullptr, [](const SMDiagnostic &D, void *Ctx) {
    *static_cast<std::string *>(Ctx) = (Twine(D.getLineNo()) + ":" +
                                        Twine(D.getColumnNo() + 1) + ": " +
                                        D.getMessage()).str();
  }, &Message);
  In >> C;
  if (In.error())
    return createStringError(In.error(), "%s:%s", Path.str().c_str(),
                             Message.empty() ? " invalid configuration" : Message.c_str());
  for (const std::string &Rule : C.Rules)
    if (std::string Bad = checkRuleSelector(Rule); !Bad.empty())
      return createStringError(inconvertibleErrorCode(), "%s: rules: %s",
                               Path.str().c_str(), Bad.c_str());
  return C;
}

void printConfig(const Config &C, raw_ostream &OS) {
  Config Copy = C;
  yaml::Output Out(OS);
  Out << Copy;
}

ConfigFinder::ConfigFinder(std::string ConfigFile,
                           std::vector<std::string> ExtraRules)
    : ConfigFile(std::move(ConfigFile)), ExtraRules(std::move(ExtraRules)) {}

Expected<std::shared_ptr<const Config>> ConfigFinder::load(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '%s': %s",
                             Path.str().c_str(), Buf.getError().message().c_str());
  auto Parsed = parseConfig((*Buf)->getBuffer(), Path);
  if (!Parsed)
    return Parsed.takeError();
  Parsed->Rules.insert(Parsed->Rules.end(), ExtraRules.begin(), ExtraRules.end());
  return std::make_shared<Config>(std::move(*Parsed));
}

Expected<std::shared_ptr<const Config>> ConfigFinder::forFile(StringRef File) {
  SmallString<256> Abs(File);
  sys::fs::make_absolute(Abs);
  return forDir(sys::path::parent_path(Abs));
}

Expected<std::shared_ptr<const Config>> ConfigFinder::forDir(StringRef Dir) {
  {
    std::lock_guard<std::mutex> G(Lock);
    auto It = ByDir.find(ConfigFile.empty() ? Dir : StringRef());
    if (It != ByDir.end())
      return It->second;
  }
  std::shared_ptr<const Config> Found;
  SmallString<256> Candidate(Dir);
  sys::path::append(Candidate, ".snag.yaml");
  if (!ConfigFile.empty()) {
    auto Loaded = load(ConfigFile);
    if (!Loaded)
      return Loaded.takeError();
    std::lock_guard<std::mutex> G(Lock);
    return ByDir[""] = *Loaded;
  }
  if (sys::fs::exists(Candidate)) {
    auto Loaded = load(Candidate);
    if (!Loaded)
      return Loaded.takeError();
    Found = *Loaded;
  } else if (StringRef Parent = sys::path::parent_path(Dir);
             !Parent.empty() && Parent != Dir) {
    auto Up = forDir(Parent);
    if (!Up)
      return Up.takeError();
    Found = *Up;
  } else {
    auto Defaults = std::make_shared<Config>();
    Defaults->Rules = ExtraRules;
    Found = Defaults;
  }
  std::lock_guard<std::mutex> G(Lock);
  ByDir[Dir] = Found;
  return Found;
}

} // namespace snag
