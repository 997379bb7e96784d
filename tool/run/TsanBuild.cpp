//===- TsanBuild.cpp - Recognizing a ThreadSanitizer build; its options ---===//
#include "run/TsanBuild.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <utility>
#include <vector>

using namespace llvm;
using namespace llvm::object;

namespace snag {

StringRef tsanRuntimeName(TsanRuntime R) {
  switch (R) {
  case TsanRuntime::None:
    return "none";
  case TsanRuntime::ClangStatic:
    return "clang static runtime";
  case TsanRuntime::ClangShared:
    return "clang shared runtime";
  case TsanRuntime::GccShared:
    return "gcc libtsan";
  case TsanRuntime::NotElf:
    return "not an ELF file";
  }
  return "unknown";
}

template <class ELFT>
static std::optional<TsanRuntime> fromNeeded(const ELFObjectFile<ELFT> &Obj) {
  const ELFFile<ELFT> &File = Obj.getELFFile();
  auto Dyn = File.dynamicEntries();
  if (!Dyn) {
    consumeError(Dyn.takeError());
    return std::nullopt;
  }
  // DT_NEEDED values are offsets into the dynamic string table, which
  // DT_STRTAB locates by address.
  uint64_t StrTabAddr = 0, StrSize = 0;
  for (const auto &D : *Dyn) {
    if (D.d_tag == ELF::DT_STRTAB)
      StrTabAddr = D.getPtr();
    else if (D.d_tag == ELF::DT_STRSZ)
      StrSize = D.getVal();
  }
  if (!StrTabAddr)
    return std::nullopt;
  auto Ptr = File.toMappedAddr(StrTabAddr);
  if (!Ptr) {
    consumeError(Ptr.takeError());
    return std::nullopt;
  }
  StringRef StrTab(reinterpret_cast<const char *>(*Ptr), StrSize);
  for (const auto &D : *Dyn) {
    if (D.d_tag != ELF::DT_NEEDED || D.getVal() >= StrTab.size())
      continue;
    StringRef Name = StrTab.drop_front(D.getVal()).split('\0').first;
    if (Name.starts_with("libclang_rt.tsan"))
      return TsanRuntime::ClangShared;
    if (Name.starts_with("libtsan.so"))
      return TsanRuntime::GccShared;
  }
  return std::nullopt;
}

static bool hasTsanInit(const ObjectFile &Obj) {
  auto Check = [](auto Symbols) {
    for (const SymbolRef &S : Symbols) {
      Expected<StringRef> Name = S.getName();
      if (!Name) {
        consumeError(Name.takeError());
        continue;
      }
      if (*Name == "__tsan_init")
        return true;
    }
    return false;
  };
  if (Check(Obj.symbols()))
    return true;
  // A stripped executable still exports the runtime's interceptors.
  if (const auto *E = dyn_cast<ELFObjectFileBase>(&Obj))
    return Check(E->getDynamicSymbolIterators());
  return false;
}

TsanRuntime detectTsanRuntime(StringRef Program) {
  std::string Path = Program.str();
  if (!Program.contains('/'))
    if (auto Found = sys::findProgramByName(Program))
      Path = *Found;
  auto Bin = ObjectFile::createObjectFile(Path);
  if (!Bin) {
    consumeError(Bin.takeError());
    return TsanRuntime::NotElf;
  }
  const ObjectFile &Obj = *Bin->getBinary();
  std::optional<TsanRuntime> Needed;
  if (const auto *E = dyn_cast<ELF64LEObjectFile>(&Obj))
    Needed = fromNeeded(*E);
  else if (const auto *E = dyn_cast<ELF32LEObjectFile>(&Obj))
    Needed = fromNeeded(*E);
  else if (const auto *E = dyn_cast<ELF64BEObjectFile>(&Obj))
    Needed = fromNeeded(*E);
  else if (!isa<ELFObjectFileBase>(Obj))
    return TsanRuntime::NotElf;
  if (Needed)
    return *Needed;
  return hasTsanInit(Obj) ? TsanRuntime::ClangStatic : TsanRuntime::None;
}

/// Splits sanitizer options the way the sanitizers' flag parser does:
/// separated by spaces, tabs, newlines, ':' or ',', values maybe quoted.
static std::vector<std::pair<std::string, std::string>>
splitOptions(StringRef S) {
  std::vector<std::pair<std::string, std::string>> Out;
  auto IsSep = [](char C) {
    return C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == ':' ||
           C == ',';
  };
  size_t I = 0;
  while (I < S.size()) {
    while (I < S.size() && IsSep(S[I]))
      ++I;
    size_t NameStart = I;
    while (I < S.size() && S[I] != '=' && !IsSep(S[I]))
      ++I;
    std::string Name = S.slice(NameStart, I).str();
    std::string Value;
    if (I < S.size() && S[I] == '=') {
      ++I;
      if (I < S.size() && (S[I] == '"' || S[I] == '\'')) {
        char Q = S[I++];
        size_t Start = I;
        while (I < S.size() && S[I] != Q)
          ++I;
        Value = S.slice(Start, I).str();
        if (I < S.size())
          ++I;
      } else {
        size_t Start = I;
        while (I < S.size() && !IsSep(S[I]))
          ++I;
        Value = S.slice(Start, I).str();
      }
    }
    if (!Name.empty())
      Out.emplace_back(std::move(Name), std::move(Value));
  }
  return Out;
}

static std::string quoted(StringRef V) {
  if (V.find_first_of(" \t\n:,'\"") == StringRef::npos)
    return V.str();
  return "\"" + V.str() + "\"";
}

std::string buildTsanOptions(StringRef UserOptions, StringRef ReportDir,
                             std::optional<std::string> Symbolizer,
                             std::optional<std::string> CoverageDir) {
  auto User = splitOptions(UserOptions);
  auto Has = [&](StringRef Name) {
    return llvm::any_of(User, [&](const auto &O) { return O.first == Name; });
  };
  SmallString<256> LogPath(ReportDir);
  sys::path::append(LogPath, "tsan");
  std::vector<std::string> Parts;
  // snag's defaults first; the user's own options follow and so win (the
  // flag parser keeps the last value), except log_path, which snag owns.
  if (!Has("second_deadlock_stack"))
    Parts.push_back("second_deadlock_stack=1");
  if (!Has("exitcode"))
    Parts.push_back("exitcode=0");
  if (Symbolizer && !Has("external_symbolizer_path"))
    Parts.push_back("external_symbolizer_path=" + quoted(*Symbolizer));
  if (CoverageDir && !Has("coverage_dir")) {
    Parts.push_back("coverage=1");
    Parts.push_back("coverage_dir=" + quoted(*CoverageDir));
  }
  for (const auto &[Name, Value] : User)
    if (Name != "log_path" && Name != "log_to_syslog")
      Parts.push_back(Name + "=" + quoted(Value));
  Parts.push_back("log_path=" + quoted(LogPath));
  return join(Parts, ":");
}

std::optional<std::string> findSymbolizer() {
  for (StringRef Name : {"llvm-symbolizer", "llvm-symbolizer-19"})
    if (auto P = sys::findProgramByName(Name))
      return *P;
  if (auto P = sys::findProgramByName("llvm-symbolizer",
                                      {"/usr/lib/llvm-19/bin"}))
    return *P;
  return std::nullopt;
}

} // namespace snag
