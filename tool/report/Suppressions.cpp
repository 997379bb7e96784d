//===- Suppressions.cpp - NOLINT comments ---------------------------------===//
#include "report/Suppressions.h"

#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace snag {

namespace {

enum class NolintKind { SameLine, NextLine, Begin, End };

struct NolintComment {
  NolintKind Kind;
  std::vector<std::string> Globs; // empty: names no rule
};

/// Every NOLINT form on one line.
std::vector<NolintComment> parseLine(StringRef Line) {
  std::vector<NolintComment> Out;
  size_t Pos = 0;
  while ((Pos = Line.find("NOLINT", Pos)) != StringRef::npos) {
    StringRef Rest = Line.substr(Pos + 6);
    NolintComment C{NolintKind::SameLine, {}};
    if (Rest.consume_front("NEXTLINE"))
      C.Kind = NolintKind::NextLine;
    else if (Rest.consume_front("BEGIN"))
      C.Kind = NolintKind::Begin;
    else if (Rest.consume_front("END"))
      C.Kind = NolintKind::End;
    if (Rest.consume_front("(")) {
      StringRef List = Rest.take_until([](char Ch) { return Ch == ')'; });
      SmallVector<StringRef, 4> Names;
      List.split(Names, ',', -1, /*KeepEmpty=*/false);
      for (StringRef N : Names)
        C.Globs.push_back(N.trim().str());
    }
    Out.push_back(std::move(C));
    Pos += 6;
  }
  return Out;
}

bool names(const NolintComment &C, StringRef RuleId) {
  std::string Qualified = ("snag-" + RuleId).str();
  for (const std::string &G : C.Globs) {
    // Only snag's own names count: `*` alone, or another tool's checks, do
    // not silence snag.
    if (!StringRef(G).starts_with("snag-"))
      continue;
    if (auto Pattern = GlobPattern::create(G))
      if (Pattern->match(Qualified))
        return true;
  }
  return false;
}

} // namespace

const std::vector<std::string> &NolintFilter::linesOf(StringRef File) {
  auto &Lines = Files[File];
  if (!Lines) {
    Lines = std::make_unique<std::vector<std::string>>();
    if (auto Buf = MemoryBuffer::getFile(File, /*IsText=*/true)) {
      SmallVector<StringRef, 0> Split;
      (*Buf)->getBuffer().split(Split, '\n');
      for (StringRef L : Split)
        Lines->push_back(L.str());
    }
  }
  return *Lines;
}

bool NolintFilter::suppresses(const Finding &F) {
  if (!F.Where.known())
    return false;
  const std::vector<std::string> &Lines = linesOf(F.Where.File);
  unsigned Line = F.Where.Line;
  if (Line > Lines.size())
    return false;
  for (const NolintComment &C : parseLine(Lines[Line - 1]))
    if (C.Kind == NolintKind::SameLine && names(C, F.RuleId))
      return true;
  if (Line >= 2)
    for (const NolintComment &C : parseLine(Lines[Line - 2]))
      if (C.Kind == NolintKind::NextLine && names(C, F.RuleId))
        return true;
  // Blocks: count the BEGINs that name the rule and are still open here.
  int Open = 0;
  for (unsigned I = 0; I + 1 < Line; ++I)
    for (const NolintComment &C : parseLine(Lines[I])) {
      if (!names(C, F.RuleId))
        continue;
      if (C.Kind == NolintKind::Begin)
        ++Open;
      else if (C.Kind == NolintKind::End && Open > 0)
        --Open;
    }
  return Open > 0;
}

void NolintFilter::apply(std::vector<Finding> &Findings) {
  std::erase_if(Findings, [&](const Finding &F) { return suppresses(F); });
}

} // namespace snag
