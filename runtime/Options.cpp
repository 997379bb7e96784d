//===- Options.cpp - Parsing SNAG_OPTIONS ---------------------------------===//
#include "Options.h"
#include "OptionCheck.h"
#include "Platform.h"

namespace snag::rt {

Options &options() {
  static Options O;
  return O;
}

namespace {

void setValue(bool &Out, const char *V, size_t Len) { parseOptionBool(V, Len, Out); }
void setValue(int &Out, const char *V, size_t Len) {
  long N = 0;
  if (parseOptionInt(V, Len, 0, 2147483647L, N))
    Out = static_cast<int>(N);
}
void setValue(const char *&Out, const char *V, size_t) { Out = V; }

} // namespace

bool parseOptions(const char *Text, const char *&Bad, unsigned long &BadLen) {
  Bad = nullptr;
  BadLen = 0;
  if (!Text || !*Text)
    return true;
  size_t Len = strLen(Text);
  char *Copy = static_cast<char *>(arenaAlloc(Len + 1, 1));
  memCopy(Copy, Text, Len + 1);
  Options &O = options();
  bool Good = true;
  for (char *Item = Copy; Item && *Item;) {
    char *End = Item;
    while (*End && *End != ':')
      ++End;
    char *Next = *End ? End + 1 : nullptr;
    size_t ItemLen = static_cast<size_t>(End - Item);
    const OptionSpec *Spec;
    if (checkOptionItem(Item, ItemLen, Spec) != OptionProblem::None) {
      if (Good) {
        Bad = Text + (Item - Copy);
        BadLen = ItemLen;
      }
      Good = false;
    } else {
      *End = 0;
      const char *Key = Spec->Name;
      const char *Value = Item + strLen(Key) + 1;
      size_t ValueLen = static_cast<size_t>(End - Value);
#define SNAG_OPTION(Type, Name, Default, Min, Max, Help)                       \
  if (strEq(Key, #Name))                                                       \
    setValue(O.Name, Value, ValueLen);
#include "Options.def"
    }
    Item = Next;
  }
  return Good;
}

} // namespace snag::rt
