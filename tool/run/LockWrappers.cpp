//===- LockWrappers.cpp - The program's own lock wrappers, found in its source ===//
#include "run/LockWrappers.h"
#include "model/Locks.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSet.h"

#include <vector>

using namespace llvm;

namespace snag::run {

namespace {

struct Tok {
  clang::tok::TokenKind Kind;
  StringRef Text;
  bool is(clang::tok::TokenKind K) const { return Kind == K; }
  bool isName() const { return Kind == clang::tok::raw_identifier; }
};

/// The lock calls a forwarder may make: the table's free functions by name
/// (pthread, C11), and its member functions by their last name component
/// (`m.lock()`, `mu->unlock_shared()`).
struct LockNames {
  StringSet<> Functions, Members;
  LockNames() {
    for (const LockAPI &API : lockAPIs()) {
      if (API.Op == LockOp::Wait || API.Op == LockOp::Disown || API.OnGuard ||
          API.LockArg == AllArgs)
        continue;
      StringRef Name = API.Name;
      if (API.LockArg == ObjectArg)
        Members.insert(Name.rsplit("::").second);
      else if (!Name.contains("::"))
        Functions.insert(Name);
    }
  }
};
const LockNames &lockNames() {
  static const LockNames Names;
  return Names;
}

/// Words that end the analysis: the function does more than forward.
bool isControlFlow(StringRef W) {
  return W == "for" || W == "while" || W == "do" || W == "switch" || W == "goto" ||
         W == "case" || W == "try" || W == "throw" || W == "co_await";
}
/// Words that look like a call when followed by '(' but are not one.
bool isOperatorWord(StringRef W) {
  return W == "sizeof" || W == "alignof" || W == "_Alignof" || W == "decltype" ||
         W == "static_cast" || W == "reinterpret_cast" || W == "const_cast" ||
         W == "__builtin_expect" || W == "return" || W == "if";
}
bool isTypeWord(StringRef W) {
  return W == "const" || W == "volatile" || W == "int" || W == "void" || W == "long" ||
         W == "unsigned" || W == "signed" || W == "short" || W == "char" || W == "bool" ||
         W == "struct" || W == "union" || W == "enum" || W == "register" || W == "restrict" ||
         W == "__restrict" || W == "auto" || W == "static";
}

class Forwarder {
public:
  Forwarder(ArrayRef<Tok> Body, const StringSet<> &Params, bool Method)
      : Body(Body), Params(Params), Method(Method) {}

  bool verdict() {
    size_t I = 0;
    while (I < Body.size() && !Work)
      I = statement(I, /*FailureBranch=*/false);
    return !Work && LockCalls == 1 && LockOnParam;
  }

private:
  // One statement from I; returns the index after it.
  size_t statement(size_t I, bool FailureBranch) {
    if (I >= Body.size())
      return I;
    const Tok &T = Body[I];
    if (T.is(clang::tok::l_brace)) {
      ++I;
      while (I < Body.size() && !Body[I].is(clang::tok::r_brace) && !Work)
        I = statement(I, FailureBranch);
      return I + 1;
    }
    if (T.is(clang::tok::semi))
      return I + 1;
    if (T.isName() && isControlFlow(T.Text)) {
      Work = true;
      return Body.size();
    }
    if (T.isName() && T.Text == "if") {
      size_t Close = matching(I + 1);
      expression(I + 2, Close, FailureBranch);
      I = statement(Close + 1, /*FailureBranch=*/true);
      if (I < Body.size() && Body[I].isName() && Body[I].Text == "else")
        I = statement(I + 1, /*FailureBranch=*/true);
      return I;
    }
    size_t End = I;
    while (End < Body.size() && !Body[End].is(clang::tok::semi)) {
      if (Body[End].is(clang::tok::l_paren) || Body[End].is(clang::tok::l_brace) ||
          Body[End].is(clang::tok::l_square))
        End = matching(End);
      ++End;
    }
    if (T.isName() && T.Text == "return") {
      expression(I + 1, End, FailureBranch);
      return End + 1;
    }
    declaration(I, End);
    expression(I, End, FailureBranch);
    return End + 1;
  }

  // `int ret;`, `int ret = pthread_mutex_lock(m);`, `struct x *p = ...;`:
  // two names in a row (or a name, stars, a name) before '=', ';' or ','.
  void declaration(size_t I, size_t End) {
    size_t J = I;
    unsigned Names = 0;
    while (J < End && (Body[J].isName() || Body[J].is(clang::tok::star) ||
                       Body[J].is(clang::tok::coloncolon))) {
      if (Body[J].isName())
        ++Names;
      ++J;
    }
    if (Names >= 2 && J > I && Body[J - 1].isName() &&
        (J == End || Body[J].is(clang::tok::equal) || Body[J].is(clang::tok::comma)))
      Locals.insert(Body[J - 1].Text);
  }

  // Tokens [I, End): calls and writes.
  void expression(size_t I, size_t End, bool FailureBranch) {
    for (size_t J = I; J < End && !Work; ++J) {
      const Tok &T = Body[J];
      switch (T.Kind) {
      case clang::tok::plusplus:
      case clang::tok::minusminus:
      case clang::tok::plusequal:
      case clang::tok::minusequal:
      case clang::tok::starequal:
      case clang::tok::slashequal:
      case clang::tok::percentequal:
      case clang::tok::ampequal:
      case clang::tok::pipeequal:
      case clang::tok::caretequal:
      case clang::tok::lesslessequal:
      case clang::tok::greatergreaterequal:
        Work = true;
        return;
      case clang::tok::equal:
        // Only the function's own locals may be written.
        if (J == I || !Body[J - 1].isName() || !Locals.contains(Body[J - 1].Text) ||
            (J >= I + 2 && (Body[J - 2].is(clang::tok::arrow) ||
                            Body[J - 2].is(clang::tok::period))))
          Work = true;
        continue;
      default:
        break;
      }
      if (!T.isName() || J + 1 >= End || !Body[J + 1].is(clang::tok::l_paren) ||
          isOperatorWord(T.Text) || isTypeWord(T.Text))
        continue;
      size_t Close = matching(J + 1);
      bool Member = J > I && (Body[J - 1].is(clang::tok::period) ||
                              Body[J - 1].is(clang::tok::arrow));
      if (!Member && lockNames().Functions.contains(T.Text)) {
        ++LockCalls;
        LockOnParam |= namesParameter(J + 2, Close);
      } else if (Member && lockNames().Members.contains(T.Text)) {
        ++LockCalls;
        size_t Start = J - 1;
        while (Start > I && (Body[Start - 1].isName() || Body[Start - 1].is(clang::tok::period) ||
                             Body[Start - 1].is(clang::tok::arrow) ||
                             Body[Start - 1].is(clang::tok::star) ||
                             Body[Start - 1].is(clang::tok::amp)))
          --Start;
        LockOnParam |= namesParameter(Start, J);
      } else if (!FailureBranch && T.Text != "assert" && !wrapsLockCall(J + 2, Close)) {
        Work = true; // a call that is neither the lock call nor failure handling
        return;
      }
    }
  }

  // Whether a lock call is among tokens [I, End): a call around it checks
  // its result (leveldb's PthreadCall("lock", pthread_mutex_lock(&mu_))).
  bool wrapsLockCall(size_t I, size_t End) {
    for (size_t J = I; J + 1 < End; ++J)
      if (Body[J].isName() && Body[J + 1].is(clang::tok::l_paren) &&
          (lockNames().Functions.contains(Body[J].Text) ||
           (J > I && (Body[J - 1].is(clang::tok::period) || Body[J - 1].is(clang::tok::arrow)) &&
            lockNames().Members.contains(Body[J].Text))))
        return true;
    return false;
  }

  // Whether tokens [I, End) name one of the parameters (or, in a member
  // function, what can only be a member: a name that is no local).
  bool namesParameter(size_t I, size_t End) {
    for (size_t J = I; J < End; ++J) {
      if (!Body[J].isName())
        continue;
      if (J > I && (Body[J - 1].is(clang::tok::arrow) || Body[J - 1].is(clang::tok::period)))
        continue; // a field of something
      if (Params.contains(Body[J].Text) || Body[J].Text == "this")
        return true;
      if (Method && !Locals.contains(Body[J].Text))
        return true;
    }
    return false;
  }

  // The index of the bracket that closes the one at I (or the end).
  size_t matching(size_t I) {
    if (I >= Body.size())
      return Body.size();
    int Depth = 0;
    for (size_t J = I; J < Body.size(); ++J) {
      if (Body[J].is(clang::tok::l_paren) || Body[J].is(clang::tok::l_brace) ||
          Body[J].is(clang::tok::l_square))
        ++Depth;
      else if (Body[J].is(clang::tok::r_paren) || Body[J].is(clang::tok::r_brace) ||
               Body[J].is(clang::tok::r_square))
        if (--Depth == 0)
          return J;
    }
    return Body.size();
  }

  ArrayRef<Tok> Body;
  const StringSet<> &Params;
  bool Method;
  StringSet<> Locals;
  unsigned LockCalls = 0;
  bool LockOnParam = false;
  bool Work = false;
};

} // namespace

bool isLockForwarder(StringRef Source, unsigned StartLine, StringRef Name) {
  if (!StartLine)
    return false;
  size_t Offset = 0;
  for (unsigned Line = 1; Line < StartLine; ++Line) {
    Offset = Source.find('\n', Offset);
    if (Offset == StringRef::npos)
      return false;
    ++Offset;
  }
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = true;
  LO.LineComment = true;
  clang::Lexer Lex(clang::SourceLocation(), LO, Source.begin(), Source.begin() + Offset,
                   Source.end());
  std::vector<Tok> Toks;
  // Enough for a small function: a forwarder is a few lines.
  for (clang::Token T; Toks.size() < 4000;) {
    if (Lex.LexFromRawLexer(T) && T.is(clang::tok::eof))
      break;
    if (T.is(clang::tok::eof))
      break;
    Toks.push_back({T.getKind(), T.is(clang::tok::raw_identifier) ? T.getRawIdentifier()
                                                                  : StringRef()});
  }
  // The name, its parameters, and the body.
  StringRef Short = Name.rsplit("::").second.empty() ? Name : Name.rsplit("::").second;
  size_t I = 0;
  while (I + 1 < Toks.size() && !(Toks[I].isName() && Toks[I].Text == Short &&
                                  Toks[I + 1].is(clang::tok::l_paren)))
    ++I;
  if (I + 1 >= Toks.size())
    return false;
  StringSet<> Params;
  size_t J = I + 2;
  StringRef Last;
  for (int Depth = 1; J < Toks.size() && Depth > 0; ++J) {
    const Tok &T = Toks[J];
    if (T.is(clang::tok::l_paren) || T.is(clang::tok::l_square))
      ++Depth;
    else if (T.is(clang::tok::r_paren) || T.is(clang::tok::r_square))
      --Depth;
    if (T.isName() && !isTypeWord(T.Text))
      Last = T.Text;
    if ((Depth == 1 && T.is(clang::tok::comma)) || Depth == 0) {
      if (!Last.empty())
        Params.insert(Last);
      Last = StringRef();
    }
  }
  while (J < Toks.size() && !Toks[J].is(clang::tok::l_brace)) {
    if (Toks[J].is(clang::tok::semi))
      return false; // a declaration, not the definition
    ++J;
  }
  size_t BodyStart = J + 1;
  int Depth = 0;
  for (; J < Toks.size(); ++J) {
    if (Toks[J].is(clang::tok::l_brace))
      ++Depth;
    else if (Toks[J].is(clang::tok::r_brace) && --Depth == 0)
      break;
  }
  if (J >= Toks.size())
    return false;
  Forwarder F(ArrayRef<Tok>(Toks).slice(BodyStart, J - BodyStart), Params,
              Name.contains("::"));
  return F.verdict();
}

} // namespace snag::run
