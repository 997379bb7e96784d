//===- RuntimeSuppressions.cpp - A suppressions file for snag run ---------===//
#include "run/RuntimeSuppressions.h"
#include "rules/Rules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace snag::run {

bool RuntimeSuppressions::load(StringRef Path, std::string &Error) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf) {
    Error = "cannot read suppressions file '" + Path.str() + "': " + Buf.getError().message();
    return false;
  }
  unsigned LineNo = 0;
  SmallVector<StringRef, 0> Lines;
  (*Buf)->getBuffer().split(Lines, '\n');
  for (StringRef Line : Lines) {
    ++LineNo;
    Line = Line.split('#').first.trim();
    if (Line.empty())
      continue;
    auto [Rule, Pattern] = Line.split(':');
    Rule = Rule.trim();
    Pattern = Pattern.trim();
    std::string Where = Path.str() + ":" + std::to_string(LineNo) + ": ";
    if (Pattern.empty()) {
      Error = Where + "expected RULE:PATTERN, got '" + Line.str() + "'";
      return false;
    }
    if (Rule.consume_front("snag-"), Rule != "*" && !findRule(Rule)) {
      Error = Where + "unknown rule '" + Rule.str() + "' (snag --list-rules lists them)";
      return false;
    }
    Texts.push_back(std::make_unique<std::string>(Pattern.str()));
    auto Glob = GlobPattern::create(*Texts.back());
    if (!Glob) {
      Error = Where + "bad pattern '" + Pattern.str() + "': " + toString(Glob.takeError());
      return false;
    }
    Entries.push_back({Rule.str(), std::move(*Glob)});
  }
  return true;
}

bool RuntimeSuppressions::suppresses(const Finding &F) const {
  // Names the message gives in backticks: locks and variables.
  std::vector<StringRef> Names;
  StringRef Msg = F.Message;
  while (true) {
    size_t Open = Msg.find('`');
    if (Open == StringRef::npos)
      break;
    size_t Close = Msg.find('`', Open + 1);
    if (Close == StringRef::npos)
      break;
    Names.push_back(Msg.slice(Open, Close + 1)); // with backticks
    Names.push_back(Msg.slice(Open + 1, Close)); // without
    Msg = Msg.drop_front(Close + 1);
  }
  for (const Entry &E : Entries) {
    if (E.Rule != "*" && E.Rule != F.RuleId)
      continue;
    auto Matches = [&](StringRef S) { return !S.empty() && E.Pattern.match(S); };
    if (Matches(F.Where.File) || any_of(Names, Matches))
      return true;
    for (const Stack &S : F.Stacks)
      for (const Frame &Fr : S.Frames)
        if (Matches(Fr.Function) || Matches(Fr.Where.File) ||
            Matches(sys::path::filename(Fr.Where.File)) || Matches(Fr.Module) ||
            Matches(sys::path::filename(Fr.Module)))
          return true;
  }
  return false;
}

unsigned RuntimeSuppressions::apply(std::vector<Finding> &Findings) const {
  size_t Before = Findings.size();
  std::erase_if(Findings, [&](const Finding &F) { return suppresses(F); });
  return static_cast<unsigned>(Before - Findings.size());
}

} // namespace snag::run
