//===- OptionCheck.h - Validating SNAG_OPTIONS, shared by snag and the shim ===//
//
// One validator for both sides: `snag run` checks the options before the
// program starts, and the runtime checks them again when it is preloaded by
// hand. Header-only and free of the C library, so the shim can use it.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUNTIME_OPTIONCHECK_H
#define SNAG_RUNTIME_OPTIONCHECK_H

#include <cstddef>

namespace snag::rt {

enum class OptionType { Bool, Int, String };

struct OptionSpec {
  const char *Name;
  OptionType Type;
  long Min;
  long Max;
};

#define SNAG_OPTION_TYPE_bool OptionType::Bool
#define SNAG_OPTION_TYPE_int OptionType::Int
#define SNAG_OPTION_TYPE_string OptionType::String
inline constexpr OptionSpec OptionSpecs[] = {
#define SNAG_OPTION(Type, Name, Default, Min, Max, Help) {#Name, SNAG_OPTION_TYPE_##Type, Min, Max},
#include "Options.def"
};
#undef SNAG_OPTION_TYPE_bool
#undef SNAG_OPTION_TYPE_int
#undef SNAG_OPTION_TYPE_string
inline constexpr size_t OptionCount = sizeof(OptionSpecs) / sizeof(OptionSpecs[0]);

enum class OptionProblem { None, NoValue, Unknown, BadBool, BadInt };

inline bool optionTextEquals(const char *A, size_t ALen, const char *B) {
  size_t I = 0;
  for (; I < ALen; ++I)
    if (!B[I] || B[I] != A[I])
      return false;
  return !B[I];
}

inline bool parseOptionBool(const char *V, size_t Len, bool &Out) {
  static constexpr const char *Words[] = {"1", "true", "yes", "0", "false", "no"};
  for (int I = 0; I < 6; ++I)
    if (optionTextEquals(V, Len, Words[I])) {
      Out = I < 3;
      return true;
    }
  return false;
}

inline bool parseOptionInt(const char *V, size_t Len, long Min, long Max, long &Out) {
  if (!Len || Len > 10)
    return false;
  long N = 0;
  for (size_t I = 0; I < Len; ++I) {
    if (V[I] < '0' || V[I] > '9')
      return false;
    N = N * 10 + (V[I] - '0');
  }
  if (N < Min || N > Max)
    return false;
  Out = N;
  return true;
}

/// Checks one "key=value" item (not NUL-terminated). Sets \p Spec to the
/// option when the key is known.
inline OptionProblem checkOptionItem(const char *Item, size_t Len, const OptionSpec *&Spec) {
  Spec = nullptr;
  size_t Eq = 0;
  while (Eq < Len && Item[Eq] != '=')
    ++Eq;
  for (const OptionSpec &S : OptionSpecs)
    if (optionTextEquals(Item, Eq, S.Name))
      Spec = &S;
  if (!Spec)
    return OptionProblem::Unknown;
  if (Eq == Len)
    return OptionProblem::NoValue;
  const char *V = Item + Eq + 1;
  size_t VLen = Len - Eq - 1;
  bool B;
  long N;
  switch (Spec->Type) {
  case OptionType::Bool:
    return parseOptionBool(V, VLen, B) ? OptionProblem::None : OptionProblem::BadBool;
  case OptionType::Int:
    return parseOptionInt(V, VLen, Spec->Min, Spec->Max, N) ? OptionProblem::None
                                                            : OptionProblem::BadInt;
  case OptionType::String:
    return OptionProblem::None;
  }
  return OptionProblem::None;
}

} // namespace snag::rt

#endif
