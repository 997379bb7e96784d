// REQUIRES: runtime
// snag run --static with a build that has coverage
// (-fsanitize-coverage=trace-pc-guard, for the focused build with the focus
// list as its allowlist): each race suspect is confirmed (a race matches),
// refuted (the code of both sides ran, no race), or not reached (a side's
// code never ran). Without coverage the count says it does not know.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/reach.cpp && cd %t
// RUN: not %snag check --no-cache --quiet --format sarif -o check.sarif --write-focus focus.txt reach.cpp --
// RUN: %clangxx -O1 -g -fsanitize=thread -fsanitize-ignorelist=focus.txt -fsanitize-coverage=trace-pc-guard -fsanitize-coverage-allowlist=focus.txt reach.cpp -o focused
// RUN: %exitcode %snag run --static check.sarif -- ./focused > focused.txt 2>&1
// RUN: FileCheck %s --check-prefix=RACE --input-file=focused.txt
// RUN: FileCheck %s --check-prefixes=SUM,ITEM --input-file=focused.txt
//
// A full ThreadSanitizer build with coverage everywhere: the same count.
// RUN: %clangxx -O1 -g -fsanitize=thread -fsanitize-coverage=trace-pc-guard reach.cpp -o full
// RUN: %exitcode %snag run --static check.sarif -- ./full 2>&1 | FileCheck %s --check-prefixes=SUM,ITEM
//
// JSON, SARIF and HTML carry the counts and each status.
// RUN: %exitcode %snag run --static check.sarif --format json -o r.json -- ./focused
// RUN: %python -c "import json,sys; s=json.load(open(sys.argv[1]))['static']; print(s['coverage'], s['suspects'], s['confirmed'], s['refuted'], s['notReached'], s['notKnown']); [print(i['location']['line'], i['status'], i['reach']) for i in s['items']]" r.json | FileCheck %s --check-prefix=JSON
// JSON: True 4 1 1 2 0
// RUN: %exitcode %snag run --static check.sarif --format sarif -o r.sarif -- ./focused
// RUN: %python -c "import json,sys; s=json.load(open(sys.argv[1]))['runs'][0]['properties']['snagStatic']; print(s['suspects'], s['confirmed'], s['refuted'], s['notReached'])" r.sarif | FileCheck %s --check-prefix=SARIF
// SARIF: 4 1 1 2
// RUN: %exitcode %snag run --static check.sarif --format html -o r.html -- ./focused
// RUN: FileCheck %s --check-prefix=HTML --input-file=r.html
// HTML: (1 of 4 confirmed, 1 refuted, 2 not reached)
// HTML: <li class="confirmed"><span class="badge">confirmed</span>
// HTML: <li class="refuted"><span class="badge">refuted</span>
// HTML: <li class="not-reached"><span class="badge">not reached</span>
// HTML: <li class="not-reached"><span class="badge">not reached</span>
// snag report reads the count back from the run's SARIF log.
// RUN: %snag report check.sarif r.sarif -o merged.html
// RUN: FileCheck %s --check-prefix=HTML --input-file=merged.html
//
// Without coverage (-fsanitize-coverage left out): not known, and how to
// know.
// RUN: %clangxx -O1 -g -fsanitize=thread -fsanitize-ignorelist=focus.txt reach.cpp -o plain
// RUN: %exitcode %snag run --static check.sarif -- ./plain 2>&1 | FileCheck %s --check-prefix=NOCOV --implicit-check-not=refuted --implicit-check-not="not reached"
// NOCOV: snag: race suspects of check.sarif: 4; confirmed by this run 1, not confirmed 3 (whether their code ran is not known: the run left no coverage; build with -fsanitize-coverage=trace-pc-guard {{.*}})
// NOCOV-NEXT: confirmed: {{.*}}reach.cpp:{{[0-9]+}}:{{[0-9]+}} [snag-unprotected-shared-state]
// NOCOV-NEXT: not confirmed: {{.*}}reach.cpp:{{[0-9]+}}:{{[0-9]+}} [snag-unprotected-shared-state]{{$}}
// NOCOV: exit 66
// RUN: %exitcode %snag run --static check.sarif --format json -o plain.json -- ./plain
// RUN: %python -c "import json,sys; s=json.load(open(sys.argv[1]))['static']; print(s['coverage'], s['notKnown'], [i['status'] for i in s['items']])" plain.json | FileCheck %s --check-prefix=NOCOVJSON
// NOCOVJSON: False 3 ['confirmed', 'not-confirmed', 'not-confirmed', 'not-confirmed']
//
// The user's own coverage_dir wins: snag reads none and says why.
// RUN: env TSAN_OPTIONS=coverage=1:coverage_dir=%t %exitcode %snag run --static check.sarif -- ./focused 2>&1 | FileCheck %s --check-prefix=USER
// USER: not confirmed 3 (whether their code ran is not known: TSAN_OPTIONS sets coverage_dir, so snag leaves coverage to the user)
#include <atomic>
#include <thread>

long hits = 0;
long ordered = 0;
long half = 0;
long unused = 0;
std::atomic<bool> done{false};
std::atomic<int> arrived{0};

// Two threads at once, no lock: the race is reported. Each waits until both
// have started, so the writes surely overlap, and writes many times, so that
// ThreadSanitizer has more than one chance to report it.
void count_hit() { arrived.fetch_add(1); while (arrived.load() < 2) std::this_thread::yield(); for (int i = 0; i < 100; ++i) { hits = hits + 1; std::this_thread::yield(); } }
// RACE: reach.cpp:[[@LINE-1]]:{{[0-9]+}}: warning: {{.*}}`hits`{{.*}} [snag-data-race]
// SUM: snag: race suspects of check.sarif: 4; confirmed by this run 1, refuted 1, not reached 2{{$}}
// ITEM-NEXT: confirmed: {{.*}}reach.cpp:[[@LINE-3]]:{{[0-9]+}} [snag-unprotected-shared-state] by the finding at {{.*}}reach.cpp:[[@LINE-3]]:{{[0-9]+$}}

// Both run, one after the other by an atomic flag set and read in functions
// they call, which snag check does not follow: ThreadSanitizer sees the
// order, no race.
void publish() { done.store(true, std::memory_order_release); }
bool published() { return done.load(std::memory_order_acquire); }

void first() {
  ordered = ordered + 1;
  // ITEM-NEXT: refuted: {{.*}}reach.cpp:[[@LINE-1]]:{{[0-9]+}} [snag-unprotected-shared-state] (the code of both sides ran; no race was reported)
  publish();
}

void second() {
  while (!published())
    std::this_thread::yield();
  ordered = ordered + 1;
}

// half_a runs, half_b never does.
void half_a() { half = half + 1; }
// ITEM-NEXT: not reached: {{.*}}reach.cpp:[[@LINE-1]]:{{[0-9]+}} [snag-unprotected-shared-state] (one side's code ran, the other's did not)
void half_b() { half = half + 2; }

// Never called at run time.
void bump_unused() { unused = unused + 1; }
// ITEM-NEXT: not reached: {{.*}}reach.cpp:[[@LINE-1]]:{{[0-9]+}} [snag-unprotected-shared-state] (its code did not run)

int main(int argc, char **) {
  std::thread a(count_hit), b(count_hit);
  std::thread c(first), d(second);
  std::thread e(half_a);
  if (argc > 100) {
    std::thread f(half_b), g(bump_unused), h(bump_unused);
    f.join();
    g.join();
    h.join();
  }
  a.join();
  b.join();
  c.join();
  d.join();
  e.join();
}
