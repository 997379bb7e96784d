//===- Collect.cpp - Turning the runtime's records into findings ----------===//
#include "run/Collect.h"
#include "check/Config.h"
#include "run/LockWrappers.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

using namespace llvm;

namespace snag::run {

namespace {

/// Frames from these places are the lock and thread machinery, not the
/// user's code: the primary location is the first frame outside them.
bool isSystemFrame(const Frame &F) {
  StringRef Module = sys::path::filename(F.Module);
  if (Module.starts_with("libsnag_rt") || Module.starts_with("libc.so") ||
      Module.starts_with("libstdc++") || Module.starts_with("libgcc") ||
      Module.starts_with("ld-linux") || Module.starts_with("libpthread"))
    return true;
  StringRef File = F.Where.File;
  // ThreadSanitizer's interceptors sit in the executable itself.
  StringRef Fn = F.Function;
  if (Fn.starts_with("__interceptor_") || Fn.starts_with("__tsan_") ||
      Fn.starts_with("__sanitizer_") || File.contains("compiler-rt/lib/"))
    return true;
  return File.starts_with("/usr/include") || File.starts_with("/usr/lib") ||
         File.contains("/c++/") || File.contains("/bits/") || !F.Where.known();
}

/// The user's own lock and thread functions, from the .snag.yaml that
/// applies to a frame's file (as snag check reads it), and undeclared lock
/// wrappers found in the source: a finding inside `possess(lock)` is placed
/// where `possess` was called.
class Wrappers {
public:
  /// Whether the frame that made the lock call is a function that only
  /// forwards to it (see isLockForwarder).
  bool forwards(const Frame &F) {
    if (!F.Where.known() || !F.FunctionLine)
      return false;
    StringRef Name = StringRef(F.Function).split('(').first.trim();
    std::string Key = F.Where.File + "\n" + std::to_string(F.FunctionLine) + "\n" + Name.str();
    auto [It, New] = Forwarders.try_emplace(Key, false);
    if (New) {
      auto Buffer = MemoryBuffer::getFile(F.Where.File);
      It->second = Buffer && isLockForwarder((*Buffer)->getBuffer(), F.FunctionLine, Name);
    }
    return It->second;
  }

  bool contains(const Frame &F) {
    if (!F.Where.known())
      return false;
    auto Config = Finder.forFile(F.Where.File);
    if (!Config) {
      consumeError(Config.takeError()); // snag check reports a bad file
      return false;
    }
    StringRef Name = StringRef(F.Function).split('(').first.trim();
    auto Same = [&](StringRef Configured) {
      return Name == Configured || Name.ends_with("::" + Configured.str()) ||
             Name.rsplit("::").second == Configured;
    };
    for (const UserLockFunction &L : (*Config)->Locks)
      if (Same(L.Function))
        return true;
    for (const UserThreadFunction &T : (*Config)->Threads)
      if (Same(T.Function))
        return true;
    return false;
  }

private:
  ConfigFinder Finder;
  StringMap<bool> Forwarders;
};

class Symbolizer {
public:
  Symbolizer() : Impl(makeOptions()) {}

  /// The frames of one return address (several when calls were inlined).
  void frames(const ProcessRecord &P, uint64_t Pc, bool IsReturnAddress,
              std::vector<Frame> &Out) {
    const ModuleRecord *M = moduleFor(P, Pc);
    if (!M) {
      Frame F;
      F.Address = Pc;
      F.Function = "??";
      Out.push_back(F);
      return;
    }
    // A return address points past the call: look up the call itself.
    uint64_t Offset = Pc - M->Bias - (IsReturnAddress ? 1 : 0);
    object::SectionedAddress Addr{Offset, object::SectionedAddress::UndefSection};
    auto Info = Impl.symbolizeInlinedCode(M->Path, Addr);
    size_t Before = Out.size();
    if (Info) {
      for (uint32_t I = 0; I < Info->getNumberOfFrames(); ++I) {
        const DILineInfo &L = Info->getFrame(I);
        Frame F;
        F.Module = M->Path;
        F.Address = Offset;
        F.Function = L.FunctionName == DILineInfo::BadString ? "??" : L.FunctionName;
        F.FunctionLine = L.StartLine;
        if (L.FileName != DILineInfo::BadString) {
          F.Where.File = L.FileName;
          F.Where.Line = L.Line;
          F.Where.Column = L.Column;
        }
        Out.push_back(std::move(F));
      }
    } else {
      consumeError(Info.takeError());
    }
    if (Out.size() == Before) {
      Frame F;
      F.Module = M->Path;
      F.Address = Offset;
      F.Function = "??";
      Out.push_back(std::move(F));
    }
  }

  /// A lock's name: the global variable it lives in, when it is one.
  std::string lockName(const ProcessRecord &P, uint64_t Address) {
    if (const ModuleRecord *M = moduleFor(P, Address)) {
      object::SectionedAddress Addr{Address - M->Bias, object::SectionedAddress::UndefSection};
      auto Global = Impl.symbolizeData(M->Path, Addr);
      if (Global && !Global->Name.empty() && Global->Name != DILineInfo::BadString) {
        std::string Name = llvm::demangle(Global->Name);
        uint64_t Delta = Address - M->Bias - Global->Start;
        if (Delta)
          Name += "+" + utostr(Delta);
        return Name;
      }
      if (!Global)
        consumeError(Global.takeError());
    }
    return "";
  }

private:
  static symbolize::LLVMSymbolizer::Options makeOptions() {
    symbolize::LLVMSymbolizer::Options O;
    O.Demangle = true;
    O.RelativeAddresses = false;
    O.UseSymbolTable = true;
    return O;
  }
  symbolize::LLVMSymbolizer Impl;
};

struct Pending {
  Finding F;
  std::set<unsigned> LockIds;
  int Pid;
};

// Replaces {Ln} and {Tn} in runtime text with names.
std::string nameThings(StringRef Text, const std::map<unsigned, std::string> &Locks) {
  std::string Out;
  while (!Text.empty()) {
    size_t Open = Text.find('{');
    if (Open == StringRef::npos) {
      Out += Text;
      break;
    }
    Out += Text.take_front(Open);
    Text = Text.drop_front(Open);
    size_t Close = Text.find('}');
    unsigned N = 0;
    if (Close == StringRef::npos || Close < 3 ||
        Text.substr(2, Close - 2).getAsInteger(10, N) ||
        (Text[1] != 'L' && Text[1] != 'T')) {
      Out += '{';
      Text = Text.drop_front();
      continue;
    }
    if (Text[1] == 'T') {
      Out += "T" + utostr(N);
    } else {
      auto It = Locks.find(N);
      Out += It != Locks.end() ? It->second : "lock #" + utostr(N);
    }
    Text = Text.drop_front(Close + 1);
  }
  return Out;
}

/// A stack title without run-to-run numbers: threads become T, locks their
/// variable's name when they have one (stable from run to run), else L.
std::string stableTitle(StringRef Title, const std::map<unsigned, std::string> &Locks) {
  std::string Out;
  for (size_t I = 0; I < Title.size(); ++I) {
    if (Title[I] == '{') {
      size_t Close = Title.find('}', I);
      if (Close != StringRef::npos) {
        unsigned N = 0;
        auto It = Locks.end();
        if (Title[I + 1] == 'L' && !Title.slice(I + 2, Close).getAsInteger(10, N))
          It = Locks.find(N);
        if (It != Locks.end() && StringRef(It->second).starts_with("`"))
          Out += It->second;
        else
          Out += Title[I + 1];
        I = Close;
        continue;
      }
    }
    Out += Title[I];
  }
  return Out;
}

/// The first frame of the user's code, past the user's own lock and thread
/// wrappers when their caller is known (the wrapper stays in the stack).
const Frame *primaryFrame(const Stack &S, Wrappers *Skip = nullptr) {
  const Frame *Wrapper = nullptr;
  for (const Frame &F : S.Frames) {
    if (isSystemFrame(F))
      continue;
    // Only the frame that made the lock call can be an undeclared wrapper.
    if (Skip && (Skip->contains(F) || (!Wrapper && Skip->forwards(F)))) {
      if (!Wrapper)
        Wrapper = &F;
      continue;
    }
    return &F;
  }
  return Wrapper;
}

bool isSystemModule(StringRef Module) {
  StringRef Name = sys::path::filename(Module);
  return Name.starts_with("libsnag_rt") || Name.starts_with("libc.so") ||
         Name.starts_with("libstdc++") || Name.starts_with("libgcc") ||
         Name.starts_with("ld-linux") || Name.starts_with("libpthread") || Name.empty();
}

/// For code without debug information: the first frame in the program's
/// own modules, known by module and offset.
const Frame *moduleFrame(const Stack &S) {
  for (const Frame &F : S.Frames)
    if (!isSystemModule(F.Module))
      return &F;
  return nullptr;
}

} // namespace

std::string variableName(const ProcessRecord &P, uint64_t Address) {
  static Symbolizer Sym;
  std::string Name = Sym.lockName(P, Address);
  return Name.empty() ? Name : "`" + Name + "`";
}

/// Whether \p Module has DWARF line information.
static bool hasDebugInfo(StringRef Module) {
  static StringMap<bool> Known;
  auto [It, New] = Known.try_emplace(Module, false);
  if (!New)
    return It->second;
  auto Obj = object::ObjectFile::createObjectFile(Module);
  if (!Obj) {
    consumeError(Obj.takeError());
    return false;
  }
  for (const object::SectionRef &S : Obj->getBinary()->sections()) {
    auto Name = S.getName();
    if (Name && (*Name == ".debug_line" || *Name == ".zdebug_line"))
      return It->second = true;
    if (!Name)
      consumeError(Name.takeError());
  }
  return false;
}

std::vector<Finding> collectFindings(const std::vector<ProcessRecord> &Processes,
                                     std::vector<std::string> *WithoutDebugInfo) {
  Symbolizer Sym;
  Wrappers UserWrappers;
  std::vector<Pending> All;
  size_t AnalysedProcesses =
      count_if(Processes, [](const ProcessRecord &P) { return !P.Passive; });
  for (const ProcessRecord &P : Processes) {
    for (const FindingRecord &R : P.Findings) {
      Pending Item;
      Item.Pid = P.Pid;
      Finding &F = Item.F;
      F.RuleId = R.Rule;
      F.Origin = "run";
      std::map<unsigned, std::string> LockNames;
      for (auto [Id, Address] : R.Locks) {
        Item.LockIds.insert(Id);
        std::string Name = Sym.lockName(P, Address);
        LockNames[Id] = Name.empty() ? "lock #" + utostr(Id) + " (0x" + utohexstr(Address, true) + ")"
                                     : "`" + Name + "`";
      }
      F.Message = nameThings(R.Message, LockNames);
      if (!R.Complete)
        F.Message += " (the record was cut short)";
      if (AnalysedProcesses > 1)
        F.Message += " [process " + std::to_string(P.Pid) + ": " +
                     sys::path::filename(P.Executable).str() + "]";
      for (const StackRecord &SR : R.Stacks) {
        Stack S;
        S.Title = nameThings(SR.Title, LockNames);
        for (size_t I = 0; I < SR.Pcs.size(); ++I)
          Sym.frames(P, SR.Pcs[I], /*IsReturnAddress=*/true, S.Frames);
        // The runtime's own frames say nothing to the user.
        S.Frames.erase(std::remove_if(S.Frames.begin(), S.Frames.end(),
                                      [](const Frame &Fr) {
                                        return sys::path::filename(Fr.Module)
                                            .starts_with("libsnag_rt");
                                      }),
                       S.Frames.end());
        F.Stacks.push_back(std::move(S));
      }
      std::vector<std::string> KeyParts;
      // With no debug information there is no line: the finding is placed in
      // the binary, by module and offset, so that it still has a location.
      if (!F.Stacks.empty() && !primaryFrame(F.Stacks.front()))
        if (const Frame *M = moduleFrame(F.Stacks.front())) {
          F.Where.File = M->Module;
          F.Message += " (in " + sys::path::filename(M->Module).str() + "+0x" +
                       utohexstr(M->Address, /*LowerCase=*/true) +
                       (M->Function != "??" ? ", " + M->Function : std::string()) + ")";
          KeyParts.push_back(M->Function != "??" ? M->Function
                                                 : sys::path::filename(M->Module).str());
          if (WithoutDebugInfo && !hasDebugInfo(M->Module) &&
              !is_contained(*WithoutDebugInfo, M->Module))
            WithoutDebugInfo->push_back(M->Module);
        }
      for (size_t I = 0; I < F.Stacks.size(); ++I) {
        const Frame *Top = primaryFrame(F.Stacks[I], &UserWrappers);
        if (!Top)
          continue;
        if (!F.Where.known()) {
          F.Where = Top->Where;
        } else {
          F.Related.push_back({Top->Where, F.Stacks[I].Title});
        }
        // A thread left behind is known by where it was started; where it
        // happened to be waiting varies from run to run.
        if (I == 0 || (F.RuleId != "leaked-thread" && F.RuleId != "missing-join"))
          KeyParts.push_back(Top->Function);
      }
      // A finding always has a location: at worst, the program itself.
      if (F.Where.File.empty())
        F.Where.File = P.Executable;
      // Order-independent, so both halves of a cycle give one key.
      std::sort(KeyParts.begin(), KeyParts.end());
      KeyParts.erase(std::unique(KeyParts.begin(), KeyParts.end()), KeyParts.end());
      F.FingerprintKey = join(KeyParts, "|");
      // What the first stack says, without run-to-run numbers (thread and
      // lock numbers, addresses), tells apart two findings in one function.
      if (!R.Stacks.empty())
        F.FingerprintKey += "|" + stableTitle(R.Stacks.front().Title, LockNames);
      if (F.FingerprintKey.empty())
        F.FingerprintKey = F.RuleId + ":" + sys::path::filename(P.Executable).str();
      All.push_back(std::move(Item));
    }
  }

  // A lock-order cycle whose locks deadlocked in the same process is that
  // deadlock: say it once.
  std::vector<bool> Drop(All.size(), false);
  for (size_t I = 0; I < All.size(); ++I) {
    if (All[I].F.RuleId != "lock-order-inversion")
      continue;
    for (const Pending &D : All)
      if (D.F.RuleId == "deadlock" && D.Pid == All[I].Pid && !All[I].LockIds.empty() &&
          std::includes(D.LockIds.begin(), D.LockIds.end(), All[I].LockIds.begin(),
                        All[I].LockIds.end()))
        Drop[I] = true;
  }

  // The same finding from several threads or processes: keep the first,
  // and say how many more there were.
  std::vector<Finding> Out;
  std::vector<unsigned> Folded;
  StringMap<size_t> Seen;
  for (size_t I = 0; I < All.size(); ++I) {
    if (Drop[I])
      continue;
    Finding &F = All[I].F;
    std::string Key = F.RuleId + "\n" + F.Where.File + ":" + std::to_string(F.Where.Line) +
                      "\n" + F.FingerprintKey;
    auto [It, New] = Seen.try_emplace(Key, Out.size());
    if (!New) {
      ++Folded[It->second];
      continue;
    }
    Out.push_back(std::move(F));
    Folded.push_back(0);
  }
  for (size_t I = 0; I < Out.size(); ++I)
    if (Folded[I])
      Out[I].Message += " (and " + std::to_string(Folded[I]) + " more like it)";
  return Out;
}

LockProfile collectProfile(const std::vector<ProcessRecord> &Processes) {
  LockProfile Out;
  Symbolizer Sym;
  Wrappers UserWrappers;
  size_t Profiled = count_if(Processes, [](const ProcessRecord &P) { return P.Profiled; });
  // Sites are merged by where they are: several return addresses on one line.
  std::map<std::tuple<std::string, std::string, unsigned, unsigned, std::string>, ProfiledSite>
      Sites;
  for (const ProcessRecord &P : Processes) {
    if (!P.Profiled)
      continue;
    Out.Present = true;
    std::string Process = Profiled > 1 ? "process " + std::to_string(P.Pid) + " (" +
                                             sys::path::filename(P.Executable).str() + ")"
                                       : "";
    auto Name = [&](unsigned Id, uint64_t Address) {
      std::string N = Sym.lockName(P, Address);
      return N.empty() ? "lock #" + utostr(Id) + " (0x" + utohexstr(Address, true) + ")"
                       : "`" + N + "`";
    };
    for (const ProfileLockRecord &L : P.ProfileLocks)
      Out.Locks.push_back({Name(L.Id, L.Address), Process, L.Acquisitions, L.Contended,
                           L.WaitTotal, L.WaitMax, L.HoldTotal, L.HoldMax});
    for (const ProfileSiteRecord &S : P.ProfileSites) {
      Stack St;
      Sym.frames(P, S.Pc, /*IsReturnAddress=*/true, St.Frames);
      const Frame *Top = primaryFrame(St, &UserWrappers);
      if (!Top)
        Top = moduleFrame(St);
      ProfiledSite Site;
      if (Top) {
        Site.Where = Top->Where;
        Site.Function = Top->Function;
        if (!Site.Where.known())
          Site.Where.File = Top->Module;
      }
      Site.Lock = Name(S.LockId, S.LockAddress);
      Site.Process = Process;
      auto Key = std::make_tuple(Site.Where.File, Site.Function, Site.Where.Line,
                                 Site.Where.Column, Site.Lock + "\n" + Process);
      auto [It, New] = Sites.try_emplace(Key, Site);
      ProfiledSite &Into = It->second;
      if (!New) {
        Into.Waits += S.Waits;
        Into.WaitTotalNs += S.WaitTotal;
        Into.WaitMaxNs = std::max(Into.WaitMaxNs, S.WaitMax);
      } else {
        Into.Waits = S.Waits;
        Into.WaitTotalNs = S.WaitTotal;
        Into.WaitMaxNs = S.WaitMax;
      }
    }
    Out.OtherLocks += P.OtherLocks;
    Out.OtherAcquisitions += P.OtherAcquisitions;
  }
  for (auto &[Key, Site] : Sites)
    Out.Sites.push_back(std::move(Site));
  // Most waited-for first; ties broken by everything else, so that the
  // same run gives the same order.
  std::stable_sort(Out.Locks.begin(), Out.Locks.end(),
                   [](const ProfiledLock &A, const ProfiledLock &B) {
                     return std::make_tuple(B.WaitTotalNs, B.Contended, B.Acquisitions,
                                            B.HoldTotalNs, A.Process, A.Name) <
                            std::make_tuple(A.WaitTotalNs, A.Contended, A.Acquisitions,
                                            A.HoldTotalNs, B.Process, B.Name);
                   });
  std::stable_sort(Out.Sites.begin(), Out.Sites.end(),
                   [](const ProfiledSite &A, const ProfiledSite &B) {
                     return std::make_tuple(B.WaitTotalNs, B.Waits) <
                            std::make_tuple(A.WaitTotalNs, A.Waits);
                   });
  return Out;
}

} // namespace snag::run
