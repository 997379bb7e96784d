//===- Platform.h - What the runtime uses instead of libc's conveniences --===//
//
// The runtime lives inside programs that are not ours, next to other
// interposers (ThreadSanitizer's among them). So it makes system calls
// directly, allocates from its own mmap-backed arena, and locks with its own
// spin lock: none of these can call back into an interceptor.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUNTIME_PLATFORM_H
#define SNAG_RUNTIME_PLATFORM_H

#include <atomic>
#include <cstddef>
#include <cstdint>

struct timespec;

namespace snag::rt {

// System calls, made with syscall(2) so that no interceptor sees them.
int sysOpen(const char *Path, int Flags, int Mode);
/// A descriptor, or -errno.
int sysOpenAt(int DirFd, const char *Path, int Flags, int Mode);
/// The owner, mode and type of an open file: false when fstat fails.
bool sysFileOwnerMode(int Fd, unsigned &Uid, unsigned &Mode);
unsigned sysGeteuid();
long sysWrite(int Fd, const void *Buf, size_t Len);
long sysRead(int Fd, void *Buf, size_t Len);
int sysClose(int Fd);
int sysGetpid();
int sysGettid();
long sysReadlink(const char *Path, char *Buf, size_t Len);
void *sysMmap(size_t Len);
/// Whether \p Addr lies in a shared mapping of this process (MAP_SHARED,
/// shm_open, shmat): memory another process may write. Reads
/// /proc/self/maps; for rare decisions only.
bool sysAddressInSharedMapping(uintptr_t Addr);
void sysSleepMs(int Ms);
void sysYield();
[[noreturn]] void sysExitGroup(int Status);
/// Monotonic time in nanoseconds.
uint64_t nowNs();
/// The C library's own clock_gettime (the vDSO, no system call), once the
/// interceptors have resolved it past any other tool's wrapper of it.
using ClockFn = int (*)(int, struct timespec *);
void setClock(ClockFn Fn);

// String helpers that never call into libc (so never into an interceptor).
size_t strLen(const char *S);
bool strEq(const char *A, const char *B);
bool strStartsWith(const char *S, const char *Prefix);
void memCopy(void *Dst, const void *Src, size_t N);
void memZero(void *Dst, size_t N);

/// A test-and-test-and-set lock for the runtime's own rare global updates.
class SpinLock {
public:
  void lock() {
    for (unsigned Spins = 0;; ++Spins) {
      if (!Held.load(std::memory_order_relaxed) &&
          !Held.exchange(true, std::memory_order_acquire))
        return;
      if (Spins > 64)
        sysYield();
    }
  }
  void unlock() { Held.store(false, std::memory_order_release); }
  /// After fork the child's copy may be held by a thread it does not have.
  void reset() { Held.store(false, std::memory_order_relaxed); }

private:
  std::atomic<bool> Held{false};
};

class SpinGuard {
public:
  explicit SpinGuard(SpinLock &L) : L(L) { L.lock(); }
  ~SpinGuard() { L.unlock(); }
  SpinGuard(const SpinGuard &) = delete;
  SpinGuard &operator=(const SpinGuard &) = delete;

private:
  SpinLock &L;
};

/// Zeroed memory that is never returned: lock and thread records must stay
/// valid for the whole run, since stale pointers to them are compared.
void *arenaAlloc(size_t Size, size_t Align = 16);
template <typename T> T *arenaNew() {
  return new (arenaAlloc(sizeof(T), alignof(T))) T();
}

/// Memory that is reused: a block given back with poolFree goes to the next
/// poolAlloc of the same size class (powers of two from 64 bytes). Blocks
/// are never returned to the system, so a stale pointer reads old data,
/// never an unmapped page. Zeroed on allocation.
void *poolAlloc(size_t Size);
void poolFree(void *P, size_t Size);

/// A free list of records of one type, for records that others may still
/// hold stale pointers to: a freed record is only ever reused as a record
/// of the same type (type-stable memory, as in the kernel's SLAB_TYPESAFE_BY_RCU).
template <typename T> class RecordPool {
public:
  T *take() {
    return take([](T *) {});
  }
  /// \p Salvage sees a recycled record before it is constructed afresh.
  template <typename F> T *take(F Salvage) {
    T *R = nullptr;
    {
      SpinGuard G(Lock);
      if (Free) {
        R = reinterpret_cast<T *>(Free);
        Free = Free->Next;
        --FreeCount;
      }
    }
    if (!R)
      return arenaNew<T>();
    Salvage(R);
    R->~T();
    return new (R) T();
  }
  void give(T *R) {
    SpinGuard G(Lock);
    auto *N = reinterpret_cast<Node *>(R);
    N->Next = Free;
    Free = N;
    ++FreeCount;
  }
  size_t freeCount() const { return FreeCount; }

private:
  struct Node {
    Node *Next;
  };
  static_assert(sizeof(T) >= sizeof(Node), "records hold a link when free");
  SpinLock Lock;
  Node *Free = nullptr;
  size_t FreeCount = 0;
};

/// A fixed buffer that formats text without allocating; long output is cut.
class TextBuffer {
public:
  TextBuffer(char *Data, size_t Capacity) : Data(Data), Capacity(Capacity) {}
  TextBuffer &str(const char *S);
  TextBuffer &chr(char C);
  TextBuffer &dec(uint64_t V);
  TextBuffer &hex(uint64_t V);
  const char *data() const { return Data; }
  size_t size() const { return Len; }
  void clear() { Len = 0; }
  bool full() const { return Len + 1 >= Capacity; }

private:
  char *Data;
  size_t Capacity;
  size_t Len = 0;
};

} // namespace snag::rt

#endif
