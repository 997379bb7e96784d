//===- Cache.cpp - Per-TU facts on disk -----------------------------------===//
#include "check/Cache.h"
#include "Version.h"

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
  for (const std::string &Arg : U.Command.CommandLine)
    Material += '\0' + Arg;
  Material += '\0' + ConfigHash.str() + '\0' + utohexstr(*Content);
  return utohexstr(xxh3_64bits(arrayRefFromStringRef(Material)), true, 16);
}

std::optional<TUFacts> FactsCache::lookup(StringRef Key) const {
  if (Key.empty() || Dir.empty())
    return std::nullopt;
  SmallString<256> Path(Dir);
  sys::path::append(Path, Key.take_front(2), Key + ".json");
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return std::nullopt;
  Expected<json::Value> V = json::parse((*Buf)->getBuffer());
  if (!V) {
    consumeError(V.takeError());
    return std::nullopt;
  }
  const json::Object *O = V->getAsObject();
  const json::Array *Deps = O ? O->getArray("deps") : nullptr;
  const json::Value *Facts = O ? O->get("facts") : nullptr;
  if (!Deps || !Facts)
    return std::nullopt;
  for (const json::Value &D : *Deps) {
    const json::Array *A = D.getAsArray();
    if (!A || A->size() != 4)
      return std::nullopt;
    auto DepPath = (*A)[0].getAsString();
    auto Size = (*A)[1].getAsInteger();
    auto MTime = (*A)[2].getAsInteger();
    auto Hash = (*A)[3].getAsString();
    if (!DepPath || !Size || !MTime || !Hash)
      return std::nullopt;
    (void)Size;
    (void)MTime;
    auto Now = contentHash(*DepPath);
    if (!Now || utohexstr(*Now) != *Hash)
      return std::nullopt;
  }
  TUFacts Out;
  json::Path::Root Root;
  if (!fromJSON(*Facts, Out, Root))
    return std::nullopt;
  return Out;
}

void FactsCache::store(StringRef Key, const TUFacts &Facts,
                       const std::vector<std::string> &Dependencies) const {
  if (Key.empty() || Dir.empty())
    return;
  json::Array Deps;
  for (const std::string &D : Dependencies) {
    sys::fs::file_status St;
    auto Hash = contentHash(D);
    if (sys::fs::status(D, St) || !Hash)
      return; // a dependency vanished: not worth caching
    Deps.push_back(json::Array{D, int64_t(St.getSize()),
                               int64_t(sys::toTimeT(St.getLastModificationTime())),
                               utohexstr(*Hash)});
  }
  SmallString<256> Folder(Dir);
  sys::path::append(Folder, Key.take_front(2));
  if (sys::fs::create_directories(Folder))
    return;
  SmallString<256> Final(Folder), Temp;
  sys::path::append(Final, Key + ".json");
  int FD;
  SmallString<256> Model(Final);
  Model += ".%%%%%%.tmp";
  if (sys::fs::createUniqueFile(Model, FD, Temp))
    return;
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << json::Value(json::Object{{"deps", std::move(Deps)}, {"facts", toJSON(Facts)}});
    if (OS.has_error()) {
      OS.clear_error();
      sys::fs::remove(Temp);
      return;
    }
  }
  if (sys::fs::rename(Temp, Final))
    sys::fs::remove(Temp);
}

} // namespace snag
