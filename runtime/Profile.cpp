//===- Profile.cpp - The lock contention profile (snag run --profile) -----===//
//
// mutrace's profile from the same shim: per lock, how often it was taken,
// how often a taker had to wait, and for how long in total and at most;
// how long it was held; and the call sites where threads waited, with
// their wait. Off unless the profile option is set: then every lock and
// unlock takes the core's slow path, which reads the time-stamp counter
// twice per hold. Counts live in the lock's record (LockInfo::Stats); a
// record given back (the lock destroyed or freed) leaves its counts here.
//
//===----------------------------------------------------------------------===//
#include "CoreInternal.h"

namespace snag::rt {

bool Profiling = false;

namespace {

uint64_t StartTicks, StartNs;

void raiseTo(std::atomic<uint64_t> &Max, uint64_t V) {
  uint64_t Old = Max.load(std::memory_order_relaxed);
  while (V > Old && !Max.compare_exchange_weak(Old, V, std::memory_order_relaxed))
    ;
}

// Call sites where threads waited, by (return address, lock).
struct Site {
  uintptr_t Pc;
  uint32_t LockId;
  uintptr_t LockAddr;
  uint64_t Count, WaitTotal, WaitMax;
};
constexpr size_t SiteTableSize = 4096;
Site *Sites;
SpinLock SiteLock;

// Locks whose records were given back: the contended ones one by one (up
// to a bound), the rest summed.
struct Retired {
  uint32_t Id;
  uintptr_t Addr;
  uint64_t Acquisitions, Contended, WaitTotal, WaitMax, HoldTotal, HoldMax;
};
constexpr size_t RetiredCapacity = 4096;
Retired *RetiredLocks;
size_t RetiredCount;
struct {
  uint64_t Locks, Acquisitions, HoldTotal, HoldMax;
} Others;
SpinLock RetiredLock;
std::atomic<bool> Written{false};

Retired snapshot(const LockInfo *L) {
  const LockStats &S = L->Stats;
  return Retired{L->Id,
                 L->Addr,
                 S.Acquisitions.load(std::memory_order_relaxed),
                 S.Contended.load(std::memory_order_relaxed),
                 S.WaitTotal.load(std::memory_order_relaxed),
                 S.WaitMax.load(std::memory_order_relaxed),
                 S.HoldTotal.load(std::memory_order_relaxed),
                 S.HoldMax.load(std::memory_order_relaxed)};
}

// Nanoseconds per tick, as a 16.16 fixed-point number, measured over the
// whole run (at least 10 ms of it).
uint64_t nsPerTickFixed() {
#if defined(__x86_64__) || defined(__i386__)
  uint64_t Ns = nowNs() - StartNs, Ticks = profileNow() - StartTicks;
  if (Ns < 10000000ull) {
    sysSleepMs(10);
    Ns = nowNs() - StartNs;
    Ticks = profileNow() - StartTicks;
  }
  return Ticks ? (Ns << 16) / Ticks : 1u << 16;
#else
  return 1u << 16; // the clock is nanoseconds already
#endif
}

void lockLine(TextBuffer &B, const Retired &R, uint64_t Fixed) {
  auto Ns = [Fixed](uint64_t Ticks) { return (Ticks * Fixed) >> 16; };
  B.str("plock\t").dec(R.Id).chr('\t').hex(R.Addr).chr('\t').dec(R.Acquisitions).chr('\t')
      .dec(R.Contended).chr('\t').dec(Ns(R.WaitTotal)).chr('\t').dec(Ns(R.WaitMax)).chr('\t')
      .dec(Ns(R.HoldTotal)).chr('\t').dec(Ns(R.HoldMax)).chr('\n');
}

} // namespace

void startProfile() {
  StartTicks = profileNow();
  StartNs = nowNs();
  Profiling = true;
}

void profileAcquired(LockInfo *L) {
  L->Stats.Acquisitions.fetch_add(1, std::memory_order_relaxed);
}

void profileReleased(LockInfo *L, uint64_t Since) {
  if (!Since)
    return; // taken before the profile started
  uint64_t Held = profileNow() - Since;
  L->Stats.HoldTotal.fetch_add(Held, std::memory_order_relaxed);
  raiseTo(L->Stats.HoldMax, Held);
}

void profileContended(LockInfo *L, uint64_t Ticks, uintptr_t CallSite) {
  L->Stats.Contended.fetch_add(1, std::memory_order_relaxed);
  L->Stats.WaitTotal.fetch_add(Ticks, std::memory_order_relaxed);
  raiseTo(L->Stats.WaitMax, Ticks);
  SpinGuard G(SiteLock);
  if (!Sites)
    Sites = static_cast<Site *>(arenaAlloc(sizeof(Site) * SiteTableSize, alignof(Site)));
  uint64_t H = (CallSite ^ (static_cast<uint64_t>(L->Id) << 40)) * 0x9E3779B97F4A7C15ull;
  for (size_t I = (H >> 52) & (SiteTableSize - 1), N = 0; N < SiteTableSize;
       I = (I + 1) & (SiteTableSize - 1), ++N) {
    Site &S = Sites[I];
    if (S.Count && (S.Pc != CallSite || S.LockId != L->Id))
      continue;
    S.Pc = CallSite;
    S.LockId = L->Id;
    S.LockAddr = L->Addr;
    ++S.Count;
    S.WaitTotal += Ticks;
    if (Ticks > S.WaitMax)
      S.WaitMax = Ticks;
    return;
  }
  // Thousands of waiting call sites: the lock's own counts still have it.
}

void profileRetire(LockInfo *L) {
  Retired R = snapshot(L);
  if (!R.Acquisitions)
    return;
  SpinGuard G(RetiredLock);
  if (R.Contended && RetiredCount < RetiredCapacity) {
    if (!RetiredLocks)
      RetiredLocks = static_cast<Retired *>(
          arenaAlloc(sizeof(Retired) * RetiredCapacity, alignof(Retired)));
    RetiredLocks[RetiredCount++] = R;
    return;
  }
  ++Others.Locks;
  Others.Acquisitions += R.Acquisitions;
  Others.HoldTotal += R.HoldTotal;
  if (R.HoldMax > Others.HoldMax)
    Others.HoldMax = R.HoldMax;
}

void resetProfile() {
  if (!Profiling)
    return;
  forEachLiveLock([](LockInfo *L) {
    L->Stats.Acquisitions.store(0);
    L->Stats.Contended.store(0);
    L->Stats.WaitTotal.store(0);
    L->Stats.WaitMax.store(0);
    L->Stats.HoldTotal.store(0);
    L->Stats.HoldMax.store(0);
  });
  SiteLock.reset();
  RetiredLock.reset();
  if (Sites)
    memZero(Sites, sizeof(Site) * SiteTableSize);
  RetiredCount = 0;
  memZero(&Others, sizeof(Others));
  Written.store(false);
}

void writeProfile() {
  if (!Profiling || Written.exchange(true))
    return;
  uint64_t Fixed = nsPerTickFixed();
  auto Ns = [Fixed](uint64_t Ticks) { return (Ticks * Fixed) >> 16; };
  char Buf[512];
  TextBuffer B(Buf, sizeof(Buf));
  B.str("profile\n");
  writeRecordText(B.data(), B.size());
  forEachLiveLock([&](LockInfo *L) {
    Retired R = snapshot(L);
    if (!R.Acquisitions)
      return;
    B.clear();
    lockLine(B, R, Fixed);
    writeRecordText(B.data(), B.size());
  });
  {
    SpinGuard G(RetiredLock);
    for (size_t I = 0; I < RetiredCount; ++I) {
      B.clear();
      lockLine(B, RetiredLocks[I], Fixed);
      writeRecordText(B.data(), B.size());
    }
    if (Others.Locks) {
      B.clear();
      B.str("pother\t").dec(Others.Locks).chr('\t').dec(Others.Acquisitions).chr('\t')
          .dec(Ns(Others.HoldTotal)).chr('\t').dec(Ns(Others.HoldMax)).chr('\n');
      writeRecordText(B.data(), B.size());
    }
  }
  SpinGuard G(SiteLock);
  for (size_t I = 0; Sites && I < SiteTableSize; ++I) {
    const Site &S = Sites[I];
    if (!S.Count)
      continue;
    B.clear();
    B.str("psite\t").dec(S.LockId).chr('\t').hex(S.LockAddr).chr('\t').hex(S.Pc).chr('\t')
        .dec(S.Count).chr('\t').dec(Ns(S.WaitTotal)).chr('\t').dec(Ns(S.WaitMax)).chr('\n');
    writeRecordText(B.data(), B.size());
  }
}

} // namespace snag::rt
