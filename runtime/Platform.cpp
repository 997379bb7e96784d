//===- Platform.cpp - System calls, arena and text formatting -------------===//
#include "Platform.h"

#include <cerrno>
#include <fcntl.h>
#include <new>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace snag::rt {

int sysOpen(const char *Path, int Flags, int Mode) {
  return static_cast<int>(syscall(SYS_openat, AT_FDCWD, Path, Flags, Mode));
}
int sysOpenAt(int DirFd, const char *Path, int Flags, int Mode) {
  int Saved = errno;
  long R = syscall(SYS_openat, DirFd, Path, Flags, Mode);
  int Err = errno;
  errno = Saved; // the program's errno is not ours to change
  return R < 0 ? -Err : static_cast<int>(R);
}
bool sysFileOwnerMode(int Fd, unsigned &Uid, unsigned &Mode) {
  struct stat St;
  if (syscall(SYS_fstat, Fd, &St) != 0)
    return false;
  Uid = St.st_uid;
  Mode = St.st_mode;
  return true;
}
unsigned sysGeteuid() { return static_cast<unsigned>(syscall(SYS_geteuid)); }
long sysWrite(int Fd, const void *Buf, size_t Len) {
  const char *P = static_cast<const char *>(Buf);
  size_t Done = 0;
  while (Done < Len) {
    long N = syscall(SYS_write, Fd, P + Done, Len - Done);
    if (N <= 0)
      return Done ? static_cast<long>(Done) : N;
    Done += static_cast<size_t>(N);
  }
  return static_cast<long>(Done);
}
long sysRead(int Fd, void *Buf, size_t Len) {
  return syscall(SYS_read, Fd, Buf, Len);
}
int sysClose(int Fd) { return static_cast<int>(syscall(SYS_close, Fd)); }
int sysGetpid() { return static_cast<int>(syscall(SYS_getpid)); }
int sysGettid() { return static_cast<int>(syscall(SYS_gettid)); }
long sysReadlink(const char *Path, char *Buf, size_t Len) {
  return syscall(SYS_readlinkat, AT_FDCWD, Path, Buf, Len);
}
namespace {
bool parseHex(const char *&P, const char *End, uintptr_t &V) {
  V = 0;
  const char *Start = P;
  for (; P < End; ++P) {
    char C = *P;
    int D = C >= '0' && C <= '9' ? C - '0' : C >= 'a' && C <= 'f' ? C - 'a' + 10 : -1;
    if (D < 0)
      break;
    V = V * 16 + static_cast<uintptr_t>(D);
  }
  return P != Start;
}
} // namespace

bool sysAddressInSharedMapping(uintptr_t Addr) {
  // /proc/self/maps: "begin-end perms offset dev inode path", one mapping a
  // line; the fourth letter of perms is 's' for a shared mapping (mmap
  // MAP_SHARED, shm_open, shmat). Read in pieces; a line split between two
  // reads is carried over.
  int Fd = sysOpen("/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
  if (Fd < 0)
    return false;
  char Buf[4096];
  size_t Have = 0;
  bool Shared = false, Done = false;
  while (!Done) {
    long N = sysRead(Fd, Buf + Have, sizeof(Buf) - Have);
    if (N <= 0)
      break;
    Have += static_cast<size_t>(N);
    size_t LineStart = 0;
    for (size_t I = 0; I < Have && !Done; ++I) {
      if (Buf[I] != '\n')
        continue;
      const char *P = Buf + LineStart, *End = Buf + I;
      uintptr_t Begin, Last;
      if (parseHex(P, End, Begin) && P < End && *P == '-' && parseHex(++P, End, Last) &&
          End - P >= 5 && Addr >= Begin && Addr < Last) {
        Shared = P[4] == 's';
        Done = true;
      }
      LineStart = I + 1;
    }
    if (LineStart == 0 && Have == sizeof(Buf))
      break; // a line longer than the buffer: give up
    for (size_t I = LineStart; I < Have; ++I)
      Buf[I - LineStart] = Buf[I];
    Have -= LineStart;
  }
  sysClose(Fd);
  return Shared;
}

void *sysMmap(size_t Len) {
  long R = syscall(SYS_mmap, nullptr, Len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (R < 0 && R > -4096)
    return nullptr;
  return reinterpret_cast<void *>(R);
}
void sysSleepMs(int Ms) {
  struct timespec T = {Ms / 1000, (Ms % 1000) * 1000000L};
  syscall(SYS_nanosleep, &T, nullptr);
}
void sysYield() { syscall(SYS_sched_yield); }
void sysExitGroup(int Status) {
  for (;;)
    syscall(SYS_exit_group, Status);
}
namespace {
ClockFn Clock = nullptr;
} // namespace
void setClock(ClockFn Fn) { Clock = Fn; }

uint64_t nowNs() {
  struct timespec T;
  if (Clock) {
    Clock(CLOCK_MONOTONIC, &T);
    return static_cast<uint64_t>(T.tv_sec) * 1000000000ull +
           static_cast<uint64_t>(T.tv_nsec);
  }
  // A system call rather than the vDSO: some interposers wrap clock_gettime,
  // and only slow paths ask for the time.
  syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &T);
  return static_cast<uint64_t>(T.tv_sec) * 1000000000ull +
         static_cast<uint64_t>(T.tv_nsec);
}

size_t strLen(const char *S) {
  size_t N = 0;
  while (S && S[N])
    ++N;
  return N;
}
bool strEq(const char *A, const char *B) {
  while (*A && *A == *B)
    ++A, ++B;
  return *A == *B;
}
bool strStartsWith(const char *S, const char *Prefix) {
  while (*Prefix)
    if (*S++ != *Prefix++)
      return false;
  return true;
}
void memCopy(void *Dst, const void *Src, size_t N) {
  auto *D = static_cast<volatile char *>(Dst);
  auto *S = static_cast<const char *>(Src);
  for (size_t I = 0; I < N; ++I)
    D[I] = S[I];
}
void memZero(void *Dst, size_t N) {
  auto *D = static_cast<volatile char *>(Dst);
  for (size_t I = 0; I < N; ++I)
    D[I] = 0;
}

namespace {
SpinLock ArenaLock;
char *ArenaCur;
char *ArenaEnd;
constexpr size_t ArenaChunk = 4u << 20;
} // namespace

void *arenaAlloc(size_t Size, size_t Align) {
  SpinGuard G(ArenaLock);
  uintptr_t P = (reinterpret_cast<uintptr_t>(ArenaCur) + Align - 1) & ~(Align - 1);
  if (!ArenaCur || P + Size > reinterpret_cast<uintptr_t>(ArenaEnd)) {
    size_t Len = Size + Align > ArenaChunk ? Size + Align : ArenaChunk;
    char *Chunk = static_cast<char *>(sysMmap(Len));
    if (!Chunk) {
      static const char Msg[] = "snag: runtime out of memory\n";
      sysWrite(2, Msg, sizeof(Msg) - 1);
      sysExitGroup(70);
    }
    ArenaCur = Chunk;
    ArenaEnd = Chunk + Len;
    P = (reinterpret_cast<uintptr_t>(ArenaCur) + Align - 1) & ~(Align - 1);
  }
  ArenaCur = reinterpret_cast<char *>(P + Size);
  return reinterpret_cast<void *>(P);
}

namespace {
constexpr int PoolClasses = 14; // 64 bytes .. 512 KiB
struct PoolNode {
  PoolNode *Next;
};
SpinLock PoolLock;
PoolNode *PoolFree[PoolClasses];

int poolClass(size_t Size) {
  int C = 0;
  for (size_t S = 64; S < Size && C < PoolClasses; S <<= 1)
    ++C;
  return C;
}
} // namespace

void *poolAlloc(size_t Size) {
  int C = poolClass(Size);
  if (C >= PoolClasses)
    return arenaAlloc(Size, 16);
  {
    SpinGuard G(PoolLock);
    if (PoolNode *N = PoolFree[C]) {
      PoolFree[C] = N->Next;
      memZero(N, size_t(64) << C);
      return N;
    }
  }
  return arenaAlloc(size_t(64) << C, 16);
}

void poolFree(void *P, size_t Size) {
  int C = poolClass(Size);
  if (!P || C >= PoolClasses)
    return;
  SpinGuard G(PoolLock);
  auto *N = static_cast<PoolNode *>(P);
  N->Next = PoolFree[C];
  PoolFree[C] = N;
}

TextBuffer &TextBuffer::chr(char C) {
  if (Len + 1 < Capacity)
    Data[Len++] = C;
  return *this;
}
TextBuffer &TextBuffer::str(const char *S) {
  while (S && *S)
    chr(*S++);
  return *this;
}
TextBuffer &TextBuffer::dec(uint64_t V) {
  char Tmp[24];
  int N = 0;
  do
    Tmp[N++] = static_cast<char>('0' + V % 10);
  while (V /= 10);
  while (N)
    chr(Tmp[--N]);
  return *this;
}
TextBuffer &TextBuffer::hex(uint64_t V) {
  char Tmp[20];
  int N = 0;
  do
    Tmp[N++] = "0123456789abcdef"[V & 15];
  while (V >>= 4);
  while (N)
    chr(Tmp[--N]);
  return *this;
}

} // namespace snag::rt

// The compiler may call these for copies and zeroing. Our own hidden
// definitions keep such calls inside the runtime: another tool's
// interceptors of memset and memcpy must not see the runtime's helper
// threads, which that tool does not know.
extern "C" __attribute__((visibility("hidden"))) void *memset(void *Dst, int C, size_t N) {
  auto *D = static_cast<volatile unsigned char *>(Dst);
  for (size_t I = 0; I < N; ++I)
    D[I] = static_cast<unsigned char>(C);
  return Dst;
}
extern "C" __attribute__((visibility("hidden"))) void *memcpy(void *Dst, const void *Src, size_t N) {
  auto *D = static_cast<volatile unsigned char *>(Dst);
  auto *S = static_cast<const unsigned char *>(Src);
  for (size_t I = 0; I < N; ++I)
    D[I] = S[I];
  return Dst;
}
extern "C" __attribute__((visibility("hidden"))) void *memmove(void *Dst, const void *Src, size_t N) {
  auto *D = static_cast<volatile unsigned char *>(Dst);
  auto *S = static_cast<const unsigned char *>(Src);
  if (D < S)
    for (size_t I = 0; I < N; ++I)
      D[I] = S[I];
  else
    for (size_t I = N; I > 0; --I)
      D[I - 1] = S[I - 1];
  return Dst;
}
