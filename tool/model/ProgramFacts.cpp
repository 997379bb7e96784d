//===- ProgramFacts.cpp - JSON form of the per-function facts -------------===//
//
// Short keys and arrays: these files are read on every warm run.
//
//===----------------------------------------------------------------------===//
#include "model/ProgramFacts.h"

using namespace llvm;

namespace snag {

static json::Value toJSON(const FactSite &S) {
  return json::Array{S.File, S.Line, S.Column};
}

static bool fromJSON(const json::Value &V, FactSite &S, json::Path P) {
  const json::Array *A = V.getAsArray();
  if (!A || A->size() != 3) {
    P.report("expected [file, line, column]");
    return false;
  }
  auto Get = [&](size_t I, uint32_t &Out) {
    std::optional<int64_t> N = (*A)[I].getAsInteger();
    Out = N ? uint32_t(*N) : 0;
    return N.has_value();
  };
  return Get(0, S.File) && Get(1, S.Line) && Get(2, S.Column);
}

static json::Value toJSON(const std::string &S) { return S; }
static json::Value toJSON(uint32_t N) { return N; }

template <typename T> static json::Array arrayOf(const std::vector<T> &V) {
  json::Array A;
  for (const T &X : V)
    A.push_back(toJSON(X));
  return A;
}

/// Optional array of small integers under \p Key.
static bool u32s(const json::Value &V, StringRef Key, std::vector<uint32_t> &Out) {
  const json::Object *O = V.getAsObject();
  const json::Array *A = O ? O->getArray(Key) : nullptr;
  if (!A)
    return !O || !O->get(Key);
  for (const json::Value &X : *A) {
    std::optional<int64_t> N = X.getAsInteger();
    if (!N)
      return false;
    Out.push_back(uint32_t(*N));
  }
  return true;
}

static json::Value toJSON(const LockFact &L) {
  return json::Array{L.Key, L.Name};
}
static bool fromJSON(const json::Value &V, LockFact &L, json::Path P) {
  const json::Array *A = V.getAsArray();
  if (!A || A->size() != 2 || !(*A)[0].getAsString() || !(*A)[1].getAsString()) {
    P.report("expected [key, name]");
    return false;
  }
  L.Key = (*A)[0].getAsString()->str();
  L.Name = (*A)[1].getAsString()->str();
  return true;
}

static json::Value toJSON(const AccessFact &A) {
  json::Object O{{"l", A.Loc}, {"n", A.Name}, {"at", toJSON(A.At)}};
  if (A.Write)
    O["w"] = true;
  if (!A.GuardedBy.empty())
    O["gb"] = A.GuardedBy;
  if (!A.Held.empty())
    O["h"] = arrayOf(A.Held);
  if (!A.Running.empty())
    O["r"] = arrayOf(A.Running);
  if (!A.Prev.empty())
    O["pv"] = arrayOf(A.Prev);
  if (!A.ReleasedAfter.empty())
    O["ra"] = arrayOf(A.ReleasedAfter);
  if (!A.AcquiredBefore.empty())
    O["ab"] = arrayOf(A.AcquiredBefore);
  if (A.UnlockWindow)
    O["uw"] = true;
  return O;
}
static bool fromJSON(const json::Value &V, AccessFact &A, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("l", A.Loc) && O.map("n", A.Name) && O.map("at", A.At) &&
         O.mapOptional("w", A.Write) && O.mapOptional("gb", A.GuardedBy) &&
         u32s(V, "h", A.Held) &&
         u32s(V, "r", A.Running) && u32s(V, "pv", A.Prev) &&
         O.mapOptional("ra", A.ReleasedAfter) &&
         O.mapOptional("ab", A.AcquiredBefore) &&
         O.mapOptional("uw", A.UnlockWindow);
}

static json::Value toJSON(const StartFact &S) {
  json::Object O{{"e", S.Entry}, {"n", S.EntryName}, {"at", toJSON(S.At)}};
  if (S.Many)
    O["many"] = true;
  if (S.Escapes)
    O["esc"] = true;
  if (!S.Args.empty())
    O["a"] = arrayOf(S.Args);
  if (!S.Object.empty())
    O["o"] = S.Object;
  if (!S.Running.empty())
    O["r"] = arrayOf(S.Running);
  if (!S.Handle.empty())
    O["hd"] = S.Handle;
  if (!S.Family.empty())
    O["fm"] = S.Family;
  if (!S.Queue.empty())
    O["q"] = S.Queue;
  return O;
}
static bool fromJSON(const json::Value &V, StartFact &S, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("e", S.Entry) && O.map("n", S.EntryName) &&
         O.map("at", S.At) && O.mapOptional("many", S.Many) &&
         O.mapOptional("esc", S.Escapes) && O.mapOptional("a", S.Args) &&
         O.mapOptional("o", S.Object) && u32s(V, "r", S.Running) && O.mapOptional("hd", S.Handle) &&
         O.mapOptional("fm", S.Family) && O.mapOptional("q", S.Queue);
}

static json::Value toJSON(const CallFact &C) {
  json::Object O{{"c", C.Callee}, {"at", toJSON(C.At)}};
  if (!C.Args.empty())
    O["a"] = arrayOf(C.Args);
  if (!C.Object.empty())
    O["o"] = C.Object;
  if (!C.Held.empty())
    O["h"] = arrayOf(C.Held);
  if (!C.Running.empty())
    O["r"] = arrayOf(C.Running);
  if (!C.Prev.empty())
    O["pv"] = arrayOf(C.Prev);
  if (!C.Joins.empty())
    O["j"] = arrayOf(C.Joins);
  return O;
}
static bool fromJSON(const json::Value &V, CallFact &C, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("c", C.Callee) && O.map("at", C.At) &&
         O.mapOptional("a", C.Args) && O.mapOptional("o", C.Object) &&
         u32s(V, "h", C.Held) && u32s(V, "r", C.Running) &&
         u32s(V, "pv", C.Prev) && O.mapOptional("j", C.Joins);
}

static json::Value toJSON(const SplitUpdateFact &S) {
  return json::Object{{"l", S.Loc},
                      {"n", S.Name},
                      {"k", S.Lock},
                      {"rd", toJSON(S.Read)},
                      {"wr", toJSON(S.Write)}};
}
static bool fromJSON(const json::Value &V, SplitUpdateFact &S, json::Path P) {
  json::ObjectMapper O(V, P);
  const json::Object *Obj = V.getAsObject();
  std::optional<int64_t> K = Obj ? Obj->getInteger("k") : std::nullopt;
  if (K)
    S.Lock = uint32_t(*K);
  return O && K && O.map("l", S.Loc) && O.map("n", S.Name) &&
         O.map("rd", S.Read) && O.map("wr", S.Write);
}

static json::Value toJSON(const FunctionFacts &F) {
  json::Object O{{"u", F.Usr}, {"n", F.Name}, {"at", toJSON(F.At)}};
  if (!F.Starts.empty())
    O["s"] = arrayOf(F.Starts);
  if (!F.Calls.empty())
    O["c"] = arrayOf(F.Calls);
  if (!F.Accesses.empty())
    O["x"] = arrayOf(F.Accesses);
  if (!F.SplitUpdates.empty())
    O["su"] = arrayOf(F.SplitUpdates);
  if (F.Ordered)
    O["ord"] = true;
  if (!F.Class.empty())
    O["cls"] = F.Class;
  if (F.Public)
    O["pub"] = true;
  if (!F.Assumed.empty())
    O["req"] = arrayOf(F.Assumed);
  if (F.HandsOwnLock)
    O["hol"] = true;
  return O;
}
static bool fromJSON(const json::Value &V, FunctionFacts &F, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("u", F.Usr) && O.map("n", F.Name) && O.map("at", F.At) &&
         O.mapOptional("s", F.Starts) && O.mapOptional("c", F.Calls) &&
         O.mapOptional("x", F.Accesses) && O.mapOptional("su", F.SplitUpdates) &&
         O.mapOptional("ord", F.Ordered) && O.mapOptional("cls", F.Class) &&
         O.mapOptional("pub", F.Public) && u32s(V, "req", F.Assumed) &&
         O.mapOptional("hol", F.HandsOwnLock);
}

static json::Value toJSON(int32_t N) { return N; }

/// A required small integer under \p Key.
static bool u32(const json::Value &V, StringRef Key, uint32_t &Out) {
  const json::Object *O = V.getAsObject();
  std::optional<int64_t> N = O ? O->getInteger(Key) : std::nullopt;
  if (N)
    Out = uint32_t(*N);
  return N.has_value();
}

static json::Value toJSON(const LockRefFact &L) {
  json::Object O{{"k", L.Key}, {"n", L.Name}};
  if (!L.Base.empty())
    O["b"] = L.Base;
  if (L.Param >= 0)
    O["p"] = L.Param;
  if (L.Recursive)
    O["rec"] = true;
  return O;
}
static bool fromJSON(const json::Value &V, LockRefFact &L, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("k", L.Key) && O.map("n", L.Name) &&
         O.mapOptional("b", L.Base) && O.mapOptional("p", L.Param) &&
         O.mapOptional("rec", L.Recursive);
}

static json::Value toJSON(const HeldLockFact &H) {
  json::Array A{H.Lock, H.At.File, H.At.Line, H.At.Column};
  if (H.Shared)
    A.push_back(1);
  return A;
}
static bool fromJSON(const json::Value &V, HeldLockFact &H, json::Path P) {
  const json::Array *A = V.getAsArray();
  if (!A || A->size() < 4) {
    P.report("expected [lock, file, line, column]");
    return false;
  }
  uint32_t *Out[] = {&H.Lock, &H.At.File, &H.At.Line, &H.At.Column};
  for (size_t I = 0; I < 4; ++I) {
    std::optional<int64_t> N = (*A)[I].getAsInteger();
    if (!N)
      return false;
    *Out[I] = uint32_t(*N);
  }
  H.Shared = A->size() > 4;
  return true;
}

/// (parameter, constant) pairs as one flat array: [p, v, p, v, ...].
static json::Array pairsOf(const std::vector<std::pair<uint32_t, int64_t>> &V) {
  json::Array A;
  for (const auto &[Param, Value] : V) {
    A.push_back(Param);
    A.push_back(Value);
  }
  return A;
}
static bool pairsFrom(const json::Value &V, const char *Key,
                      std::vector<std::pair<uint32_t, int64_t>> &Out,
                      json::Path P) {
  const json::Object *O = V.getAsObject();
  const json::Array *A = O ? O->getArray(Key) : nullptr;
  if (!A)
    return true;
  if (A->size() % 2) {
    P.field(Key).report("expected [parameter, constant] pairs");
    return false;
  }
  for (size_t I = 0; I < A->size(); I += 2) {
    std::optional<int64_t> Param = (*A)[I].getAsInteger();
    std::optional<int64_t> Value = (*A)[I + 1].getAsInteger();
    if (!Param || !Value || *Param < 0) {
      P.field(Key).report("expected [parameter, constant] pairs");
      return false;
    }
    Out.emplace_back(uint32_t(*Param), *Value);
  }
  return true;
}

static json::Value toJSON(const LockTakeFact &T) {
  json::Object O{{"k", T.Lock}, {"at", toJSON(T.At)}};
  if (T.Shared)
    O["sh"] = true;
  if (T.HandBack)
    O["hb"] = true;
  if (T.Alone)
    O["al"] = true;
  if (!T.Must.empty())
    O["m"] = arrayOf(T.Must);
  if (!T.May.empty())
    O["y"] = arrayOf(T.May);
  if (!T.Unless.empty())
    O["un"] = pairsOf(T.Unless);
  if (!T.ElementTaken.empty()) {
    O["eh"] = T.ElementHeld;
    O["et"] = T.ElementTaken;
    O["ea"] = toJSON(T.ElementHeldAt);
  }
  return O;
}
static bool fromJSON(const json::Value &V, LockTakeFact &T, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && u32(V, "k", T.Lock) && O.map("at", T.At) &&
         O.mapOptional("sh", T.Shared) && O.mapOptional("hb", T.HandBack) &&
         O.mapOptional("al", T.Alone) && O.mapOptional("m", T.Must) &&
         O.mapOptional("y", T.May) && pairsFrom(V, "un", T.Unless, P) &&
         O.mapOptional("eh", T.ElementHeld) && O.mapOptional("et", T.ElementTaken) &&
         O.mapOptional("ea", T.ElementHeldAt);
}

static json::Value toJSON(const LockCallFact &C) {
  json::Object O{{"c", C.Callee}, {"n", C.Name}, {"at", toJSON(C.At)}};
  if (!C.Object.empty())
    O["o"] = C.Object;
  if (!C.Args.empty())
    O["a"] = arrayOf(C.Args);
  if (C.Alone)
    O["al"] = true;
  if (!C.Must.empty())
    O["m"] = arrayOf(C.Must);
  if (!C.May.empty())
    O["y"] = arrayOf(C.May);
  if (!C.Consts.empty())
    O["k"] = pairsOf(C.Consts);
  if (!C.Unless.empty())
    O["un"] = pairsOf(C.Unless);
  return O;
}
static bool fromJSON(const json::Value &V, LockCallFact &C, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("c", C.Callee) && O.map("n", C.Name) &&
         O.map("at", C.At) && O.mapOptional("o", C.Object) &&
         O.mapOptional("a", C.Args) && O.mapOptional("al", C.Alone) &&
         O.mapOptional("m", C.Must) && O.mapOptional("y", C.May) &&
         pairsFrom(V, "k", C.Consts, P) && pairsFrom(V, "un", C.Unless, P);
}

static json::Value toJSON(const LockFunctionFacts &F) {
  json::Object O{{"u", F.Usr}, {"n", F.Name}};
  if (F.IsMain)
    O["main"] = true;
  if (!F.Takes.empty())
    O["t"] = arrayOf(F.Takes);
  if (!F.Calls.empty())
    O["c"] = arrayOf(F.Calls);
  return O;
}
static bool fromJSON(const json::Value &V, LockFunctionFacts &F,
                     json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("u", F.Usr) && O.map("n", F.Name) &&
         O.mapOptional("main", F.IsMain) && O.mapOptional("t", F.Takes) &&
         O.mapOptional("c", F.Calls);
}

static json::Value toJSON(const LockOrderFacts &L) {
  return json::Object{{"locks", arrayOf(L.Locks)},
                      {"functions", arrayOf(L.Functions)}};
}
static bool fromJSON(const json::Value &V, LockOrderFacts &L, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.mapOptional("locks", L.Locks) &&
         O.mapOptional("functions", L.Functions);
}

static json::Value toJSON(const ProcessCallFact &C) {
  json::Object O{{"c", C.Callee}, {"n", C.Name}, {"at", toJSON(C.At)}};
  if (!C.After.empty())
    O["af"] = arrayOf(C.After);
  if (C.Running)
    O["r"] = true;
  return O;
}
static bool fromJSON(const json::Value &V, ProcessCallFact &C, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("c", C.Callee) && O.map("n", C.Name) &&
         O.map("at", C.At) && u32s(V, "af", C.After) &&
         O.mapOptional("r", C.Running);
}

static json::Value toJSON(const ForkFact &F) {
  json::Object O{{"at", toJSON(F.At)}};
  if (!F.After.empty())
    O["af"] = arrayOf(F.After);
  if (F.Reported)
    O["rep"] = true;
  return O;
}
static bool fromJSON(const json::Value &V, ForkFact &F, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("at", F.At) && u32s(V, "af", F.After) &&
         O.mapOptional("rep", F.Reported);
}

static json::Value toJSON(const ProcessFunctionFacts &F) {
  json::Object O{{"u", F.Usr}, {"n", F.Name}};
  if (F.LeavesRunning) {
    O["lr"] = true;
    O["ra"] = toJSON(F.RunningAt);
  }
  if (!F.Calls.empty())
    O["c"] = arrayOf(F.Calls);
  if (!F.Forks.empty())
    O["f"] = arrayOf(F.Forks);
  return O;
}
static bool fromJSON(const json::Value &V, ProcessFunctionFacts &F,
                     json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("u", F.Usr) && O.map("n", F.Name) &&
         O.mapOptional("lr", F.LeavesRunning) &&
         O.mapOptional("ra", F.RunningAt) && O.mapOptional("c", F.Calls) &&
         O.mapOptional("f", F.Forks);
}

static json::Value toJSON(const LockFunctionFact &L) {
  json::Object O{{"u", L.Usr}, {"op", L.Op}, {"l", arrayOf(L.Locks)}};
  if (!L.Success.empty())
    O["s"] = L.Success;
  if (L.Witness >= 0) {
    O["w"] = L.Witness;
    O["wf"] = L.WitnessField;
  }
  if (L.Param >= 0) {
    O["pi"] = L.Param;
    O["pv"] = L.Value;
  }
  if (!L.Variants.empty()) {
    json::Array A;
    for (const LockFunctionFact &V : L.Variants)
      A.push_back(toJSON(V));
    O["v"] = std::move(A);
  }
  return O;
}
static bool fromJSON(const json::Value &V, LockFunctionFact &L, json::Path P) {
  json::ObjectMapper O(V, P);
  if (!(O && O.map("u", L.Usr) && O.map("op", L.Op) && O.map("l", L.Locks) &&
        O.mapOptional("s", L.Success) && O.mapOptional("pi", L.Param) &&
        O.mapOptional("pv", L.Value) && O.mapOptional("w", L.Witness) &&
        O.mapOptional("wf", L.WitnessField)))
    return false;
  const json::Object *Obj = V.getAsObject();
  if (const json::Array *A = Obj->getArray("v"))
    for (size_t I = 0; I < A->size(); ++I) {
      LockFunctionFact Variant;
      if (!fromJSON((*A)[I], Variant, P.field("v").index(I)))
        return false;
      L.Variants.push_back(std::move(Variant));
    }
  return true;
}

static json::Value toJSON(const ThreadFunctionFact &F) {
  json::Object O{{"u", F.Usr}};
  if (F.Entry >= 0)
    O["e"] = F.Entry;
  if (F.Joins >= 0)
    O["j"] = F.Joins;
  if (!F.Family.empty())
    O["fm"] = F.Family;
  if (F.ReturnsHandle)
    O["rh"] = true;
  if (!F.Queue.empty())
    O["q"] = F.Queue;
  if (F.Many)
    O["m"] = true;
  return O;
}
static bool fromJSON(const json::Value &V, ThreadFunctionFact &F,
                     json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("u", F.Usr) && O.mapOptional("e", F.Entry) &&
         O.mapOptional("j", F.Joins) && O.mapOptional("fm", F.Family) &&
         O.mapOptional("rh", F.ReturnsHandle) && O.mapOptional("q", F.Queue) &&
         O.mapOptional("m", F.Many);
}

json::Value toJSON(const ProgramFacts &F) {
  json::Object O{{"files", arrayOf(F.Files)},
                 {"locks", arrayOf(F.Locks)},
                 {"functions", arrayOf(F.Functions)}};
  if (!F.LockOrder.Functions.empty())
    O["lockorder"] = toJSON(F.LockOrder);
  if (!F.Processes.empty())
    O["processes"] = arrayOf(F.Processes);
  if (!F.LockFunctions.empty())
    O["lockfunctions"] = arrayOf(F.LockFunctions);
  if (!F.Imports.empty())
    O["imports"] = arrayOf(F.Imports);
  if (!F.ThreadFunctions.empty())
    O["threadfunctions"] = arrayOf(F.ThreadFunctions);
  return O;
}

bool fromJSON(const json::Value &V, ProgramFacts &F, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.mapOptional("files", F.Files) &&
         O.mapOptional("locks", F.Locks) &&
         O.mapOptional("functions", F.Functions) &&
         O.mapOptional("lockorder", F.LockOrder) &&
         O.mapOptional("processes", F.Processes) &&
         O.mapOptional("lockfunctions", F.LockFunctions) &&
         O.mapOptional("imports", F.Imports) &&
         O.mapOptional("threadfunctions", F.ThreadFunctions);
}

} // namespace snag
