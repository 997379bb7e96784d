//===- Suppressions.cpp - NOLINT comments ---------------------------------===//
#include "report/Suppressions.h"
#include "rules/Rules.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

using namespace llvm;

namespace snag {

namespace {

enum class NolintKind { SameLine, NextLine, Begin, End };

struct NolintComment {
  NolintKind Kind;
  std::vector<std::string> Globs; // empty: names no rule
  std::vector<size_t> Columns;    // where each glob starts, 0-based
};

/// Every NOLINT form on one line.
std::vector<NolintComment> parseLine(StringRef Line) {
  std::vector<NolintComment> Out;
  size_t Pos = 0;
  while ((Pos = Line.find("NOLINT", Pos)) != StringRef::npos) {
    StringRef Rest = Line.substr(Pos + 6);
    NolintComment C{NolintKind::SameLine, {}, {}};
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
      for (StringRef N : Names) {
        StringRef Name = N.trim();
        C.Globs.push_back(Name.str());
        C.Columns.push_back(Name.data() - Line.data());
      }
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

std::string checkRuleSelector(StringRef Selector) {
  StringRef Name = Selector.trim();
  Name.consume_front("-");
  Name.consume_front("snag-");
  if (Name.empty())
    return "empty rule name";
  auto Pattern = GlobPattern::create(Name);
  if (!Pattern)
    return ("malformed rule glob '" + Selector + "': " +
            toString(Pattern.takeError()))
        .str();
  StringRef Best;
  unsigned BestDistance = ~0u;
  for (const RuleInfo &R : allRules()) {
    if (Pattern->match(R.Id))
      return "";
    unsigned D = Name.edit_distance(R.Id, /*AllowReplacements=*/true);
    if (D < BestDistance) {
      Best = R.Id;
      BestDistance = D;
    }
  }
  StringRef Written = Selector.trim();
  std::string Message = ("unknown rule '" + Written + "'").str();
  // Close enough to be a typo: a third of the name at most. The suggestion
  // keeps what was written before the name ("-", "snag-").
  if (BestDistance <= std::max<size_t>(2, Name.size() / 3))
    Message += ("; did you mean '" +
                Written.drop_back(Name.size()) + Best + "'?")
                   .str();
  return Message;
}

std::vector<std::string> NolintFilter::checkNames(StringRef File) {
  std::vector<std::string> Out;
  const std::vector<std::string> &Lines = linesOf(File);
  for (size_t I = 0; I < Lines.size(); ++I) {
    if (!StringRef(Lines[I]).contains("NOLINT"))
      continue;
    for (const NolintComment &C : parseLine(Lines[I]))
      for (size_t G = 0; G < C.Globs.size(); ++G) {
        // Other tools' checks are theirs to validate.
        if (!StringRef(C.Globs[G]).starts_with("snag-"))
          continue;
        if (std::string Bad = checkRuleSelector(C.Globs[G]); !Bad.empty())
          Out.push_back((File + ":" + Twine(I + 1) + ":" + Twine(C.Columns[G] + 1) +
                         ": warning: NOLINT: " + Bad +
                         " (it silences nothing)")
                            .str());
      }
  }
  return Out;
}

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
