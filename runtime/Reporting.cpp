//===- Reporting.cpp - Finding records, the report file and stacks --------===//
#include "CoreInternal.h"
#include "Options.h"
#include "SnagRecord.h"

#include <fcntl.h>
#include <link.h>

namespace snag::rt {

namespace {

SpinLock ReportLock;
int ReportFd = -1;
int ReportPid = 0;
FindingSink Sink = nullptr;
BacktraceFn Backtrace = nullptr;
unsigned long long LoadedAdds = ~0ull;

int ProcessId() { return sysGetpid(); }

void writeHeader(int Fd) {
  char Buf[4200];
  TextBuffer B(Buf, sizeof(Buf));
  char Exe[4096];
  long N = sysReadlink("/proc/self/exe", Exe, sizeof(Exe) - 1);
  Exe[N > 0 ? N : 0] = 0;
  // The parent's pid from /proc/self/stat would need parsing; getppid is a
  // plain system call.
  long PPid = syscall(SYS_getppid);
  B.str(SNAG_RECORD_MAGIC).chr('\t').dec(SNAG_RECORD_VERSION).chr('\t')
      .dec(static_cast<uint64_t>(ProcessId())).chr('\t')
      .dec(static_cast<uint64_t>(PPid)).chr('\t').str(Exe).chr('\n');
  sysWrite(Fd, B.data(), B.size());
}

struct ModuleDumpContext {
  int Fd;
};

int dumpModule(struct dl_phdr_info *Info, size_t, void *Data) {
  auto *Ctx = static_cast<ModuleDumpContext *>(Data);
  const char *Name = Info->dlpi_name;
  char Exe[4096];
  if (!Name || !*Name) {
    long N = sysReadlink("/proc/self/exe", Exe, sizeof(Exe) - 1);
    Exe[N > 0 ? N : 0] = 0;
    Name = Exe;
  }
  if (strStartsWith(Name, "linux-vdso") || !*Name)
    return 0;
  char Buf[8192];
  TextBuffer B(Buf, sizeof(Buf));
  B.str("module\t").hex(Info->dlpi_addr).chr('\t').str(Name).chr('\t');
  bool First = true;
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_LOAD)
      continue;
    if (!First)
      B.chr(',');
    First = false;
    B.hex(Info->dlpi_addr + P.p_vaddr).chr('-')
        .hex(Info->dlpi_addr + P.p_vaddr + P.p_memsz);
  }
  B.chr('\n');
  sysWrite(Ctx->Fd, B.data(), B.size());
  return 0;
}

int countAdds(struct dl_phdr_info *Info, size_t, void *Data) {
  *static_cast<unsigned long long *>(Data) = Info->dlpi_adds;
  return 1;
}

DlIterateFn DlIterate = dl_iterate_phdr;

// Called under ReportLock.
int reportFd() {
  int Pid = ProcessId();
  if (ReportFd >= 0 && ReportPid == Pid)
    return ReportFd;
  if (ReportFd >= 0 && ReportPid != Pid && ReportFd != 2)
    sysClose(ReportFd); // a fork child's copy of the parent's file
  ReportFd = -1;
  ReportPid = Pid;
  LoadedAdds = ~0ull;
  const char *Dir = options().report_dir;
  if (!Dir || !*Dir) {
    ReportFd = 2;
  } else {
    char Path[4096];
    for (unsigned Attempt = 0; Attempt < 100 && ReportFd < 0; ++Attempt) {
      TextBuffer B(Path, sizeof(Path));
      B.str(Dir).chr('/').str(SNAG_RECORD_PREFIX).dec(static_cast<uint64_t>(Pid))
          .chr('.').dec(Attempt);
      B.chr(0);
      // A private folder made by snag run; O_EXCL|O_NOFOLLOW all the same,
      // so a planted name is never followed or appended to.
      ReportFd = sysOpen(Path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                   O_APPEND | O_CLOEXEC, 0600);
      if (ReportFd < 0 && ReportFd != -17 /* EEXIST */)
        break;
    }
    if (ReportFd < 0)
      ReportFd = 2;
  }
  writeHeader(ReportFd);
  return ReportFd;
}

// Called under ReportLock: module records, again after dlopen.
void dumpModulesIfChanged(int Fd) {
  unsigned long long Adds = 0;
  DlIterate(countAdds, &Adds);
  if (Adds == LoadedAdds)
    return;
  LoadedAdds = Adds;
  ModuleDumpContext Ctx{Fd};
  DlIterate(dumpModule, &Ctx);
}

void writeToReport(const char *Text, size_t Len) {
  if (Sink) {
    Sink(Text, Len);
    return;
  }
  SpinGuard G(ReportLock);
  int Fd = reportFd();
  dumpModulesIfChanged(Fd);
  sysWrite(Fd, Text, Len);
}

} // namespace

void setFindingSink(FindingSink S) { Sink = S; }
void setBacktrace(BacktraceFn Fn) { Backtrace = Fn; }
void setDlIterate(DlIterateFn Fn) { DlIterate = Fn; }

void lockReports() { ReportLock.lock(); }
void unlockReports(bool InForkChild) {
  if (InForkChild)
    ReportLock.reset();
  else
    ReportLock.unlock();
}

void resetReportFile() {
  // The child keeps the parent's descriptor number until reportFd() sees the
  // new pid; nothing to do eagerly.
}

StackTrace *captureStack() {
  if (!Backtrace)
    return nullptr;
  void *Frames[MaxFrames + 4];
  int Depth = options().stack_depth;
  int N = Backtrace(Frames, Depth + 3);
  // Drop captureStack and the core function that asked; the interceptor
  // frames are dropped by the collector, which knows the runtime's module.
  int Skip = N > 2 ? 1 : 0;
  int Keep = N - Skip;
  if (Keep > Depth)
    Keep = Depth;
  if (Keep <= 0)
    return nullptr;
  auto *S = static_cast<StackTrace *>(
      arenaAlloc(sizeof(StackTrace) + sizeof(uintptr_t) * Keep, alignof(StackTrace)));
  S->Depth = static_cast<uint32_t>(Keep);
  for (int I = 0; I < Keep; ++I)
    S->Pcs[I] = reinterpret_cast<uintptr_t>(Frames[I + Skip]);
  return S;
}

FindingWriter::FindingWriter(const char *Rule)
    : Capacity(256 << 10), Out(nullptr, 0),
      Message(MessageData, sizeof(MessageData)), Title(TitleData, sizeof(TitleData)) {
  // Findings are rare; a fresh arena block each keeps concurrent reports apart.
  Data = static_cast<char *>(arenaAlloc(Capacity, 16));
  Out = TextBuffer(Data, Capacity);
  Out.str("finding\t").str(Rule).chr('\n');
}

FindingWriter::~FindingWriter() {
  if (!Done)
    finish();
}

void FindingWriter::line(const char *Tag, const char *Text, size_t Len) {
  Out.str(Tag).chr('\t');
  for (size_t I = 0; I < Len; ++I) {
    char C = Text[I];
    Out.chr(C == '\n' || C == '\t' ? ' ' : C);
  }
  Out.chr('\n');
}

void FindingWriter::lock(const LockInfo *L) {
  Out.str("lock\t").dec(L->Id).chr('\t').hex(L->Addr).chr('\n');
}

void FindingWriter::stack(const char *Title, const StackTrace *S) {
  Out.str("stack\t");
  for (const char *P = Title; *P; ++P)
    Out.chr(*P == '\t' || *P == '\n' ? ' ' : *P);
  Out.chr('\t');
  for (uint32_t I = 0; S && I < S->Depth; ++I) {
    if (I)
      Out.chr(' ');
    Out.hex(S->Pcs[I]);
  }
  Out.chr('\n');
}

void FindingWriter::stackWithTitle(const StackTrace *S) {
  Title.chr(0);
  stack(Title.data(), S);
  Title.clear();
}

void FindingWriter::finish() {
  if (Done)
    return;
  Done = true;
  line("message", Message.data(), Message.size());
  Out.str("end\n");
  writeToReport(Out.data(), Out.size());
}

void haltAfterFinding(const char *Why) {
  if (!options().halt_on_deadlock || Sink)
    return;
  char Buf[256];
  TextBuffer B(Buf, sizeof(Buf));
  B.str("ended\t").str(Why).chr('\n');
  writeToReport(B.data(), B.size());
  sysExitGroup(options().exitcode);
}

} // namespace snag::rt
