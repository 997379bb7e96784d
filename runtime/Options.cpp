//===- Options.cpp - Parsing SNAG_OPTIONS ---------------------------------===//
#include "Options.h"
#include "Platform.h"

namespace snag::rt {

Options &options() {
  static Options O;
  return O;
}

namespace {

void complain(const char *What, const char *Key, size_t KeyLen) {
  char Buf[256];
  TextBuffer B(Buf, sizeof(Buf));
  B.str("snag: ").str(What).str(" in SNAG_OPTIONS: '");
  for (size_t I = 0; I < KeyLen; ++I)
    B.chr(Key[I]);
  B.str("'\n");
  sysWrite(2, B.data(), B.size());
}

bool parseValue(bool &Out, const char *V) {
  if (strEq(V, "1") || strEq(V, "true") || strEq(V, "yes")) {
    Out = true;
    return true;
  }
  if (strEq(V, "0") || strEq(V, "false") || strEq(V, "no")) {
    Out = false;
    return true;
  }
  return false;
}

bool parseValue(int &Out, const char *V) {
  if (!*V)
    return false;
  long N = 0;
  for (const char *P = V; *P; ++P) {
    if (*P < '0' || *P > '9' || N > 100000000)
      return false;
    N = N * 10 + (*P - '0');
  }
  Out = static_cast<int>(N);
  return true;
}

bool parseValue(const char *&Out, const char *V) {
  Out = V;
  return true;
}

} // namespace

void parseOptions(const char *Text) {
  if (!Text || !*Text)
    return;
  size_t Len = strLen(Text);
  char *Copy = static_cast<char *>(arenaAlloc(Len + 1, 1));
  memCopy(Copy, Text, Len + 1);
  Options &O = options();
  for (char *Item = Copy; Item && *Item;) {
    char *Next = Item;
    while (*Next && *Next != ':')
      ++Next;
    char *End = Next;
    if (*Next)
      *Next++ = 0;
    else
      Next = nullptr;
    char *Eq = Item;
    while (*Eq && *Eq != '=')
      ++Eq;
    if (!*Eq) {
      complain("no value", Item, static_cast<size_t>(End - Item));
      Item = Next;
      continue;
    }
    *Eq = 0;
    const char *Value = Eq + 1;
    bool Known = false, Good = false;
#define SNAG_OPTION(Type, Name, Default, Help)                                 \
  if (strEq(Item, #Name)) {                                                    \
    Known = true;                                                              \
    Good = parseValue(O.Name, Value);                                          \
  }
#include "Options.def"
    if (!Known)
      complain("unknown option", Item, strLen(Item));
    else if (!Good)
      complain("bad value for option", Item, strLen(Item));
    Item = Next;
  }
  if (O.stack_depth > 64)
    O.stack_depth = 64;
  if (O.stack_depth < 1)
    O.stack_depth = 1;
}

} // namespace snag::rt
