//===- Coverage.cpp - Which code of a run ran, from SanitizerCoverage ------===//
#include "run/Coverage.h"
#include "run/StaticConfirm.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/DebugInfo/DIContext.h"
#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace snag {

namespace {

// SanitizerCoverage's file header: the size of each offset that follows.
constexpr uint64_t Magic64 = 0xC0BFFFFFFFFFFF64ULL;
constexpr uint64_t Magic32 = 0xC0BFFFFFFFFFFF32ULL;

/// "db_test.12345.sancov" -> "db_test"; empty when the name is not one.
StringRef moduleOf(StringRef FileName) {
  if (!FileName.consume_back(".sancov"))
    return {};
  auto [Module, Pid] = FileName.rsplit('.');
  unsigned N;
  if (Module.empty() || Pid.getAsInteger(10, N))
    return {};
  return Module;
}

/// One source line a suspect's side is on.
struct Point {
  std::string File;
  unsigned Line;
  bool operator<(const Point &O) const {
    return std::tie(File, Line) < std::tie(O.File, O.Line);
  }
};

/// What the binaries with coverage say: the functions (by linkage name)
/// a block of which ran, and the functions that hold each point's code.
struct Reach {
  std::set<std::string> Ran;
  std::map<Point, std::set<std::string>> Holders;
};

const DILineInfoSpecifier Spec(DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath,
                               DINameKind::LinkageName);

/// Reads one binary's debug information for the functions its covered
/// blocks are in, and the functions that hold each point's line.
void readBinary(StringRef Path, const std::set<uint64_t> &Offsets,
                const std::vector<Point> &Points, Reach &Out,
                std::vector<std::string> &Problems) {
  auto Bin = object::ObjectFile::createObjectFile(Path);
  if (!Bin) {
    Problems.push_back("cannot read '" + Path.str() + "' for its coverage: " +
                       toString(Bin.takeError()));
    return;
  }
  std::unique_ptr<DWARFContext> Ctx = DWARFContext::create(*Bin->getBinary());
  auto FunctionsAt = [&](uint64_t Address, bool Innermost, auto &&Add) {
    DIInliningInfo Frames = Ctx->getInliningInfoForAddress(
        {Address, object::SectionedAddress::UndefSection}, Spec);
    for (uint32_t I = 0, N = Frames.getNumberOfFrames(); I < N; ++I) {
      const DILineInfo &F = Frames.getFrame(I);
      if (F.FunctionName != DILineInfo::BadString)
        Add(F.FunctionName);
      if (Innermost)
        break;
    }
  };
  // A block that ran: its function and every function it is inlined into.
  for (uint64_t Offset : Offsets)
    FunctionsAt(Offset, /*Innermost=*/false,
                [&](const std::string &Name) { Out.Ran.insert(Name); });
  // Each point's line: the innermost function at each address of the line.
  for (const std::unique_ptr<DWARFUnit> &CU : Ctx->compile_units()) {
    const DWARFDebugLine::LineTable *LT = Ctx->getLineTableForUnit(CU.get());
    if (!LT)
      continue;
    DenseMap<uint64_t, SmallVector<unsigned, 1>> PointsOfFile;
    DenseMap<uint64_t, bool> Seen;
    for (const DWARFDebugLine::Row &Row : LT->Rows) {
      if (Row.EndSequence || Row.Line == 0)
        continue;
      if (!Seen.count(Row.File)) {
        Seen[Row.File] = true;
        std::string Name;
        if (LT->getFileNameByIndex(Row.File, CU->getCompilationDir(), Spec.FLIKind, Name))
          for (unsigned I = 0; I < Points.size(); ++I)
            if (sameSourceFile(Name, Points[I].File))
              PointsOfFile[Row.File].push_back(I);
      }
      auto It = PointsOfFile.find(Row.File);
      if (It == PointsOfFile.end())
        continue;
      for (unsigned I : It->second)
        if (Points[I].Line == Row.Line)
          FunctionsAt(Row.Address.Address, /*Innermost=*/true,
                      [&](const std::string &Name) { Out.Holders[Points[I]].insert(Name); });
    }
  }
}

} // namespace

RunCoverage readCoverageFolder(StringRef Dir) {
  RunCoverage Cov;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Dir, EC), End; !EC && It != End; It.increment(EC)) {
    StringRef Name = sys::path::filename(It->path());
    StringRef Module = moduleOf(Name);
    if (Module.empty())
      continue;
    auto Buf = MemoryBuffer::getFile(It->path(), /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
    if (!Buf) {
      Cov.Problems.push_back("cannot read " + It->path() + ": " + Buf.getError().message());
      continue;
    }
    StringRef Data = (*Buf)->getBuffer();
    uint64_t Magic = Data.size() >= 8 ? support::endian::read64le(Data.data()) : 0;
    size_t Width = Magic == Magic64 ? 8 : Magic == Magic32 ? 4 : 0;
    if (!Width || (Data.size() - 8) % Width) {
      Cov.Problems.push_back(It->path() + " is not a SanitizerCoverage file");
      continue;
    }
    std::set<uint64_t> &Into = Cov.Offsets[Module.str()];
    for (size_t At = 8; At < Data.size(); At += Width)
      Into.insert(Width == 8 ? support::endian::read64le(Data.data() + At)
                             : support::endian::read32le(Data.data() + At));
  }
  return Cov;
}

void classifyReach(std::vector<StaticSuspect> &Suspects, const RunCoverage &Cov,
                   const std::map<std::string, std::set<std::string>> &Binaries,
                   std::vector<std::string> &Problems) {
  std::set<Point> Wanted;
  for (const StaticSuspect &S : Suspects) {
    Wanted.insert({S.Where.File, S.Where.Line});
    for (const SourcePoint &P : S.OtherSides)
      Wanted.insert({P.File, P.Line});
  }
  std::vector<Point> Points(Wanted.begin(), Wanted.end());
  Reach R;
  for (const auto &[Module, Offsets] : Cov.Offsets) {
    auto It = Binaries.find(Module);
    if (It == Binaries.end())
      continue; // a shared library, or a program snag did not see start
    for (const std::string &Path : It->second)
      readBinary(Path, Offsets, Points, R, Problems);
  }
  // A side ran, did not run, or is not known (no binary with coverage
  // holds its line).
  enum class Side { NotKnown, Ran, NotRan };
  auto SideOf = [&](const SourcePoint &P) {
    auto H = R.Holders.find({P.File, P.Line});
    if (H == R.Holders.end() || H->second.empty())
      return Side::NotKnown;
    return any_of(H->second, [&](const std::string &F) { return R.Ran.count(F) > 0; })
               ? Side::Ran
               : Side::NotRan;
  };
  for (StaticSuspect &S : Suspects) {
    Side Own = SideOf(S.Where);
    // The other side: any of the conflicting accesses; none named means the
    // same code on two threads.
    Side Other = S.OtherSides.empty() ? Own : Side::NotRan;
    for (const SourcePoint &P : S.OtherSides) {
      Side X = SideOf(P);
      if (X == Side::Ran || (X == Side::NotKnown && Other == Side::NotRan))
        Other = X;
    }
    // One side that did not run is enough to say the race was not reached.
    if (Own == Side::Ran && Other == Side::Ran)
      S.Reach = SuspectReach::Ran;
    else if (Own == Side::NotRan || Other == Side::NotRan)
      S.Reach = Own == Side::Ran || Other == Side::Ran ? SuspectReach::PartlyRan
                                                       : SuspectReach::NotRan;
    else
      S.Reach = SuspectReach::NotKnown;
  }
}

} // namespace snag
