//===- Cache.cpp - Per-TU facts on disk -----------------------------------===//
#include "check/Cache.h"
#include "Version.h"

#include "clang/Tooling/ArgumentsAdjusters.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

using namespace llvm;

namespace snag {

static std::optional<uint64_t> hashFile(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                   /*RequiresNullTerminator=*/false);
  if (!Buf)
    return std::nullopt;
  return xxh3_64bits(arrayRefFromStringRef((*Buf)->getBuffer()));
}

FactsCache::FactsCache(std::string Dir) : Dir(std::move(Dir)) {
  std::string Exe = sys::fs::getMainExecutable(nullptr, (void *)&hashFile);
  ToolHash = SNAG_VERSION;
  if (auto H = hashFile(Exe))
    ToolHash += "-" + utohexstr(*H);
}

std::string FactsCache::defaultDir() {
  SmallString<256> Path;
  if (auto Xdg = sys::Process::GetEnv("XDG_CACHE_HOME"); Xdg && !Xdg->empty())
    Path = *Xdg;
  else if (!sys::path::cache_directory(Path))
    return "";
  sys::path::append(Path, "snag");
  return std::string(Path);
}

std::optional<uint64_t> FactsCache::contentHash(StringRef Path) const {
  {
    std::lock_guard<std::mutex> G(HashLock);
    auto It = Hashes.find(Path);
    if (It != Hashes.end())
      return It->second;
  }
  auto H = hashFile(Path);
  std::lock_guard<std::mutex> G(HashLock);
  Hashes[Path] = H;
  return H;
}

std::string FactsCache::key(const Unit &U, StringRef ConfigHash) const {
  auto Content = contentHash(U.File);
  if (!Content)
    return "";
  std::string Material = ToolHash + '\0' + U.File + '\0' + U.Command.Directory;
  // What the parse sees: where the object and the dependency file go does
  // not change the facts, and the build's command (which names them) must
  // key like the compilation database's (which may not).
  clang::tooling::CommandLineArguments Args = U.Command.CommandLine;
  for (const auto &Adjust : {clang::tooling::getClangStripOutputAdjuster(),
                             clang::tooling::getClangStripDependencyFileAdjuster(),
                             clang::tooling::getClangSyntaxOnlyAdjuster()})
    Args = Adjust(Args, U.File);
  for (const std::string &Arg : Args)
    Material += '\0' + Arg;
  Material += '\0' + ConfigHash.str() + '\0' + utohexstr(*Content);
  return utohexstr(xxh3_64bits(arrayRefFromStringRef(Material)), true, 16);
}

std::string FactsCache::entryPath(StringRef Key) const {
  SmallString<256> Path(Dir);
  sys::path::append(Path, Key.take_front(2), Key + ".json");
  return std::string(Path);
}

std::optional<TUFacts> FactsCache::lookup(StringRef Key) const {
  if (Key.empty() || Dir.empty())
    return std::nullopt;
  FactsEntry E = read(entryPath(Key), Key);
  if (E.State != FactsEntry::Fresh)
    return std::nullopt;
  return std::move(E.Facts);
}

void FactsCache::store(StringRef Key, const TUFacts &Facts,
                       const std::vector<std::string> &Dependencies) const {
  if (Key.empty() || Dir.empty())
    return;
  std::string Path = entryPath(Key);
  if (sys::fs::create_directories(sys::path::parent_path(Path)))
    return;
  write(Path, Key, &Facts, "", Dependencies);
}

FactsEntry FactsCache::read(StringRef Path, StringRef Key) const {
  FactsEntry Out;
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return Out;
  Expected<json::Value> V = json::parse((*Buf)->getBuffer());
  if (!V) {
    consumeError(V.takeError());
    return Out;
  }
  const json::Object *O = V->getAsObject();
  const json::Array *Deps = O ? O->getArray("deps") : nullptr;
  const json::Value *Facts = O ? O->get("facts") : nullptr;
  std::optional<StringRef> Error = O ? O->getString("error") : std::nullopt;
  std::optional<StringRef> EntryKey = O ? O->getString("key") : std::nullopt;
  if (!Deps || !EntryKey || (!Facts && !Error))
    return Out;
  Out.State = FactsEntry::Stale;
  if (Key.empty() || *EntryKey != Key)
    return Out;
  for (const json::Value &D : *Deps) {
    const json::Array *A = D.getAsArray();
    if (!A || A->size() != 4)
      return Out;
    auto DepPath = (*A)[0].getAsString();
    auto Hash = (*A)[3].getAsString();
    if (!DepPath || !Hash)
      return Out;
    auto Now = contentHash(*DepPath);
    if (!Now || utohexstr(*Now) != *Hash)
      return Out;
  }
  if (!Facts) {
    Out.State = FactsEntry::Failed;
    Out.Error = Error->str();
    return Out;
  }
  json::Path::Root Root;
  if (!fromJSON(*Facts, Out.Facts, Root)) {
    Out.Facts = TUFacts();
    return Out;
  }
  Out.State = FactsEntry::Fresh;
  return Out;
}

bool FactsCache::write(StringRef Path, StringRef Key, const TUFacts *Facts,
                       StringRef Error,
                       const std::vector<std::string> &Dependencies) const {
  if (Key.empty())
    return false;
  json::Array Deps;
  for (const std::string &D : Dependencies) {
    sys::fs::file_status St;
    auto Hash = contentHash(D);
    if (sys::fs::status(D, St) || !Hash)
      return false; // a dependency vanished: these facts are stale already
    Deps.push_back(json::Array{D, int64_t(St.getSize()),
                               int64_t(sys::toTimeT(St.getLastModificationTime())),
                               utohexstr(*Hash)});
  }
  json::Object Entry{{"key", Key}, {"deps", std::move(Deps)}};
  if (Facts)
    Entry["facts"] = toJSON(*Facts);
  else
    Entry["error"] = Error;
  SmallString<256> Temp, Model(Path);
  Model += ".%%%%%%.tmp";
  int FD;
  if (sys::fs::createUniqueFile(Model, FD, Temp))
    return false;
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << json::Value(std::move(Entry));
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      sys::fs::remove(Temp);
      return false;
    }
  }
  if (sys::fs::rename(Temp, Path)) {
    sys::fs::remove(Temp);
    return false;
  }
  return true;
}

} // namespace snag
