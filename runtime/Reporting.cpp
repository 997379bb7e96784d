//===- Reporting.cpp - Finding records, the report file and stacks --------===//
#include "CoreInternal.h"
#include "Options.h"
#include "SnagRecord.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
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

// The report folder, opened and checked: a folder snag run made for this
// user alone. Its path is looked up once and never followed if it is a
// symbolic link; a folder that another user could have planted or can
// write to is refused. -1 when there is none to use.
int openReportFolder(const char *Dir) {
  int DirFd = sysOpen(Dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
  if (DirFd < 0)
    return -1;
  unsigned Uid, Mode;
  if (!sysFileOwnerMode(DirFd, Uid, Mode) || (Mode & S_IFMT) != S_IFDIR ||
      Uid != sysGeteuid() || (Mode & 077) != 0) {
    sysClose(DirFd);
    return -1;
  }
  return DirFd;
}

void sayNotAnalysed(const char *Dir) {
  char Buf[4400];
  TextBuffer B(Buf, sizeof(Buf));
  char Exe[4096];
  long N = sysReadlink("/proc/self/exe", Exe, sizeof(Exe) - 1);
  Exe[N > 0 ? N : 0] = 0;
  B.str("snag: error: process ").dec(static_cast<uint64_t>(ProcessId())).str(" (")
      .str(Exe).str(") cannot write to snag's report folder ").str(Dir)
      .str(" (it runs as user ").dec(sysGeteuid())
      .str(", and the folder must be that user's own, mode 0700): it is not analysed\n");
  sysWrite(2, B.data(), B.size());
}

// Called under ReportLock. -1: nowhere to report (said once on stderr).
int reportFd() {
  int Pid = ProcessId();
  if (ReportPid == Pid && (ReportFd >= 0 || ReportFd == -2))
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
    int DirFd = openReportFolder(Dir);
    char Name[64];
    for (unsigned Attempt = 0; DirFd >= 0 && Attempt < 100 && ReportFd < 0; ++Attempt) {
      TextBuffer B(Name, sizeof(Name));
      B.str(SNAG_RECORD_PREFIX).dec(static_cast<uint64_t>(Pid)).chr('.').dec(Attempt);
      B.chr(0);
      // O_EXCL|O_NOFOLLOW all the same: a planted name is never followed
      // or appended to.
      ReportFd = sysOpenAt(DirFd, Name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                            O_APPEND | O_CLOEXEC, 0600);
      if (ReportFd < 0 && ReportFd != -EEXIST)
        break;
    }
    if (DirFd >= 0)
      sysClose(DirFd);
    if (ReportFd < 0) {
      sayNotAnalysed(Dir);
      ReportFd = -2;
      return ReportFd;
    }
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
  if (Fd < 0)
    return;
  dumpModulesIfChanged(Fd);
  sysWrite(Fd, Text, Len);
}

// A record line outside any finding, in this process's file. With
// \p Modules, the loaded modules too (so that ThreadSanitizer's addresses
// in this process can be named even when the shim found nothing).
void writeProcessLine(const char *Text, size_t Len, bool Modules = false) {
  if (Sink)
    return;
  SpinGuard G(ReportLock);
  int Fd = reportFd();
  if (Fd < 0 || Fd == 2)
    return;
  if (Modules)
    dumpModulesIfChanged(Fd);
  sysWrite(Fd, Text, Len);
}

} // namespace

void writeRecordText(const char *Text, size_t Len) { writeToReport(Text, Len); }

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

void announceProcess(bool Passive) {
  if (!options().report_dir || !*options().report_dir)
    return;
  if (Passive)
    writeProcessLine("passive\n", 8);
  else
    writeProcessLine("", 0, /*Modules=*/true);
}

void recordExec(const char *Path, bool Preloaded) {
  char Buf[4200];
  TextBuffer B(Buf, sizeof(Buf));
  B.str("exec\t");
  for (const char *P = Path; P && *P; ++P)
    B.chr(*P == '\t' || *P == '\n' ? ' ' : *P);
  B.chr('\t').str(Preloaded ? "preload" : "no-preload").chr('\n');
  writeProcessLine(B.data(), B.size());
}

void recordExecFailed() { writeProcessLine("exec-failed\n", 12); }

void resetReportFile() {
  // The child keeps the parent's descriptor number until reportFd() sees the
  // new pid; nothing to do eagerly.
}

StackTrace *captureStackInto(StackTrace *Into) {
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
  StackTrace *S = Into ? Into
                       : static_cast<StackTrace *>(
                             poolAlloc(sizeof(StackTrace) + sizeof(uintptr_t) * Keep));
  S->Depth = static_cast<uint32_t>(Keep);
  for (int I = 0; I < Keep; ++I)
    S->Pcs[I] = reinterpret_cast<uintptr_t>(Frames[I + Skip]);
  return S;
}

StackTrace *captureStack() { return captureStackInto(nullptr); }

void freeStack(StackTrace *S) {
  if (S)
    poolFree(S, sizeof(StackTrace) + sizeof(uintptr_t) * S->Depth);
}

StackTrace *captureWaitStack(ThreadState *T) {
  if (!T->WaitStackBuffer)
    T->WaitStackBuffer = static_cast<StackTrace *>(
        poolAlloc(sizeof(StackTrace) + sizeof(uintptr_t) * MaxFrames));
  return captureStackInto(T->WaitStackBuffer);
}

FindingWriter::FindingWriter(const char *Rule)
    : Capacity(256 << 10), Out(nullptr, 0),
      Message(MessageData, sizeof(MessageData)), Title(TitleData, sizeof(TitleData)) {
  // A block of its own keeps concurrent reports apart; it goes back to the
  // pool when the finding is written.
  Data = static_cast<char *>(poolAlloc(Capacity));
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

void FindingWriter::lock(uint32_t Id, uintptr_t Addr) {
  Out.str("lock\t").dec(Id).chr('\t').hex(Addr).chr('\n');
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

void FindingWriter::stackWithTitleHere() {
  uintptr_t Buf[MaxFrames + 2];
  stackWithTitle(captureStackInto(reinterpret_cast<StackTrace *>(Buf)));
}

void FindingWriter::finish() {
  if (Done)
    return;
  Done = true;
  line("message", Message.data(), Message.size());
  Out.str("end\n");
  writeToReport(Out.data(), Out.size());
  poolFree(Data, Capacity);
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
