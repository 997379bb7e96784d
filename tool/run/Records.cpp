//===- Records.cpp - Reading the runtime's per-process report files -------===//
#include "run/Records.h"
#include "runtime/SnagRecord.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>
#include <tuple>

using namespace llvm;

namespace snag::run {

static uint64_t hexValue(StringRef S) {
  uint64_t V = 0;
  S.trim().getAsInteger(16, V);
  return V;
}

bool parseProcessRecord(StringRef Path, ProcessRecord &Out, std::string &Error) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf) {
    Error = "cannot read " + Path.str() + ": " + Buf.getError().message();
    return false;
  }
  parseProcessRecordText(Path, (*Buf)->getBuffer(), Out);
  return true;
}

void parseProcessRecordText(StringRef Path, StringRef Text, ProcessRecord &Out) {
  Out.File = Path.str();
  StringRef Ext = sys::path::extension(Path);
  if (!Ext.empty())
    Ext.drop_front().getAsInteger(10, Out.FileIndex);
  FindingRecord *Open = nullptr;
  SmallVector<StringRef, 8> Fields;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    Fields.clear();
    Line.split(Fields, '\t');
    StringRef Tag = Fields[0];
    if (Tag == SNAG_RECORD_MAGIC && Fields.size() >= 5) {
      Fields[2].getAsInteger(10, Out.Pid);
      Fields[3].getAsInteger(10, Out.ParentPid);
      Out.Executable = Fields[4].str();
    } else if (Tag == "module" && Fields.size() >= 4) {
      ModuleRecord M;
      M.Bias = hexValue(Fields[1]);
      M.Path = Fields[2].str();
      SmallVector<StringRef, 8> Ranges;
      Fields[3].split(Ranges, ',', -1, false);
      for (StringRef R : Ranges) {
        auto [Lo, Hi] = R.split('-');
        M.Ranges.push_back({hexValue(Lo), hexValue(Hi)});
      }
      Out.Modules.push_back(std::move(M));
    } else if (Tag == "finding" && Fields.size() >= 2) {
      Out.Findings.push_back(FindingRecord());
      Open = &Out.Findings.back();
      Open->Rule = Fields[1].str();
    } else if (!Open) {
      if (Tag == "ended" && Fields.size() >= 2)
        Out.EndedBy = Fields[1].str();
      else if (Tag == "passive")
        Out.Passive = true;
      else if (Tag == "exec" && Fields.size() >= 2)
        Out.Execs.push_back({Fields[1].str(), Fields.size() < 3 || Fields[2] != "no-preload"});
      else if (Tag == "exec-failed" && !Out.Execs.empty())
        Out.Execs.back().Failed = true;
      else if (Tag == "profile")
        Out.Profiled = true;
      else if (Tag == "plock" && Fields.size() >= 9) {
        ProfileLockRecord L;
        Fields[1].getAsInteger(10, L.Id);
        L.Address = hexValue(Fields[2]);
        uint64_t *Counts[] = {&L.Acquisitions, &L.Contended, &L.WaitTotal,
                              &L.WaitMax,      &L.HoldTotal, &L.HoldMax};
        for (size_t I = 0; I < 6; ++I)
          Fields[3 + I].getAsInteger(10, *Counts[I]);
        Out.ProfileLocks.push_back(L);
      } else if (Tag == "psite" && Fields.size() >= 7) {
        ProfileSiteRecord S;
        Fields[1].getAsInteger(10, S.LockId);
        S.LockAddress = hexValue(Fields[2]);
        S.Pc = hexValue(Fields[3]);
        Fields[4].getAsInteger(10, S.Waits);
        Fields[5].getAsInteger(10, S.WaitTotal);
        Fields[6].getAsInteger(10, S.WaitMax);
        Out.ProfileSites.push_back(S);
      } else if (Tag == "pother" && Fields.size() >= 3) {
        Fields[1].getAsInteger(10, Out.OtherLocks);
        Fields[2].getAsInteger(10, Out.OtherAcquisitions);
      }
    } else if (Tag == "message" && Fields.size() >= 2) {
      Open->Message = Fields[1].str();
    } else if (Tag == "lock" && Fields.size() >= 3) {
      unsigned Id = 0;
      Fields[1].getAsInteger(10, Id);
      Open->Locks.push_back({Id, hexValue(Fields[2])});
    } else if (Tag == "stack" && Fields.size() >= 2) {
      StackRecord S;
      S.Title = Fields[1].str();
      if (Fields.size() >= 3) {
        SmallVector<StringRef, 32> Pcs;
        Fields[2].split(Pcs, ' ', -1, false);
        for (StringRef Pc : Pcs)
          S.Pcs.push_back(hexValue(Pc));
      }
      Open->Stacks.push_back(std::move(S));
    } else if (Tag == "end") {
      Open->Complete = true;
      Open = nullptr;
    } else if (Tag == "ended" && Fields.size() >= 2) {
      Out.EndedBy = Fields[1].str();
    }
  }
}

static bool byPid(const ProcessRecord &A, const ProcessRecord &B) {
  return std::tie(A.Pid, A.FileIndex) < std::tie(B.Pid, B.FileIndex);
}

std::vector<ProcessRecord>
parseReportFiles(const std::vector<std::pair<std::string, std::string>> &NamedTexts) {
  std::vector<ProcessRecord> All;
  for (const auto &[Name, Text] : NamedTexts) {
    ProcessRecord P;
    parseProcessRecordText(Name, Text, P);
    All.push_back(std::move(P));
  }
  std::sort(All.begin(), All.end(), byPid);
  return All;
}

std::vector<std::pair<const ProcessRecord *, const ExecRecord *>>
unobservedExecs(const std::vector<ProcessRecord> &Processes) {
  std::vector<std::pair<const ProcessRecord *, const ExecRecord *>> Out;
  // The last file of each pid: an exec is observed if its pid wrote a later
  // one.
  std::map<int, unsigned> LastFile;
  for (const ProcessRecord &P : Processes) {
    unsigned &Last = LastFile[P.Pid];
    Last = std::max(Last, P.FileIndex);
  }
  for (const ProcessRecord &P : Processes) {
    // Successful execs of one process image: at most the last one (exec
    // replaces the image), observed if a later file of the same pid exists.
    const ExecRecord *Last = nullptr;
    for (const ExecRecord &E : P.Execs)
      if (!E.Failed)
        Last = &E;
    if (!Last)
      continue;
    if (LastFile[P.Pid] <= P.FileIndex)
      Out.push_back({&P, Last});
  }
  return Out;
}

std::vector<ProcessRecord> readReportDir(StringRef Dir, std::vector<std::string> &Errors) {
  std::vector<ProcessRecord> All;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    StringRef Name = sys::path::filename(It->path());
    if (!Name.starts_with(SNAG_RECORD_PREFIX))
      continue;
    ProcessRecord P;
    std::string Error;
    if (parseProcessRecord(It->path(), P, Error))
      All.push_back(std::move(P));
    else
      Errors.push_back(Error);
  }
  if (EC)
    Errors.push_back("cannot list " + Dir.str() + ": " + EC.message());
  std::sort(All.begin(), All.end(), byPid);
  return All;
}

const ModuleRecord *moduleFor(const ProcessRecord &P, uint64_t Address) {
  for (auto It = P.Modules.rbegin(); It != P.Modules.rend(); ++It)
    for (auto [Lo, Hi] : It->Ranges)
      if (Address >= Lo && Address < Hi)
        return &*It;
  return nullptr;
}

} // namespace snag::run
