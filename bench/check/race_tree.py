#!/usr/bin/env python3
"""Generates a tree of N C++ translation units that share globals, locks and
thread entry points across files, with a compile_commands.json, and times
snag check on it: cold (empty cache), warm (nothing changed) and after
touching one file (only that file re-parses), with the link step's share of
each run (SNAG_STATS=1), and clang -fsyntax-only over the same TUs as the
floor.

usage: race_tree.py [--units N] [--jobs J] [--snag PATH] [--keep DIR]
       race_tree.py --scale N1,N2,... [--mock] [--shape cycle|groups] [--jobs J]

With --scale, measures the link step alone as the tree grows: for each size
a tree is generated and checked once to fill the cache, then checked warm
(every TU's facts read from the cache, nothing parsed), and the table gives
the size of the facts (functions, accesses, calls), the link step's time
(best of --repeat warm runs) and the warm run's peak memory. --mock
includes the small stand-ins for <mutex> and <thread> from test/check/Inputs
instead of the standard headers, so that a tree of thousands of TUs is
cheap to parse; the facts and findings have the same shape. --shape groups
makes each unit call the next one in its group of ten instead of the next
one around the whole tree, so that a thread reaches a bounded part of it.
--header-fns K adds a header, included by every unit, that defines a chain
of K inline functions (each takes a lock and updates a shared slot, then
calls the next) which every unit's work calls: K functions repeated in
every TU's facts, reached by every thread, as a real tree's inline
functions and templates are.

Prints a Markdown table; bench/check/race_tree.md records a run."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

UNIT = """\
// Generated unit {i} of {n}: counters, a lock, calls into the next unit.
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

extern int shared_total;
extern std::mutex total_lock;
void unit{next}_work(int v);

static std::mutex lock_{i};
static std::map<std::string, long> table_{i};
static std::vector<int> log_{i};
int counter_{i};

void unit{i}_locked_add(int v) {{
  std::lock_guard<std::mutex> g(lock_{i});
  counter_{i} += v;
  table_{i}["k"] += v;
}}

void unit{i}_log(int v) {{
  std::unique_lock<std::mutex> lk(lock_{i});
  log_{i}.push_back(v);
  lk.unlock();
  if (v > 0)
    unit{next}_work(v - 1);
}}

void unit{i}_work(int v) {{
  unit{i}_locked_add(v);
  unit{i}_log(v);
  {{
    std::lock_guard<std::mutex> g(total_lock);
    shared_total += v;
  }}
  if (v % 7 == 0)
    counter_{i}++; // unlocked on this path: a finding
}}

void unit{i}_start() {{
  std::thread a(unit{i}_work, 3), b(unit{i}_work, 4);
  a.join();
  b.join();
}}
"""

# The same unit over the small stand-in headers (no map, vector, string).
MOCK_UNIT = """\
// Generated unit {i} of {n}: counters, a lock, calls into the next unit.
#include "mock-sync.h"

extern int shared_total;
extern std::mutex total_lock;
void unit{next}_work(int v);

static std::mutex lock_{i};
static long table_{i}[16];
static int log_{i}[64];
static int log_len_{i};
int counter_{i};

void unit{i}_locked_add(int v) {{
  std::lock_guard<std::mutex> g(lock_{i});
  counter_{i} += v;
  table_{i}[v & 15] += v;
}}

void unit{i}_log(int v) {{
  std::unique_lock<std::mutex> lk(lock_{i});
  log_{i}[log_len_{i}++ & 63] = v;
  lk.unlock();
  if (v > 0)
    unit{next}_work(v - 1);
}}

void unit{i}_work(int v) {{
  unit{i}_locked_add(v);
  unit{i}_log(v);
  {{
    std::lock_guard<std::mutex> g(total_lock);
    shared_total += v;
  }}
  if (v % 7 == 0)
    counter_{i}++; // unlocked on this path: a finding
}}

void unit{i}_start() {{
  std::thread a(unit{i}_work, 3), b(unit{i}_work, 4);
  a.join();
  b.join();
}}
"""

MOCK_MAIN = """\
// Generated main: starts a thread per unit group.
#include "mock-sync.h"

int shared_total;
std::mutex total_lock;
{decls}

int main() {{
{starts}
  return shared_total > 0 ? 0 : 1;
}}
"""

MAIN = """\
// Generated main: starts a thread per unit group.
#include <mutex>
#include <thread>
#include <vector>

int shared_total;
std::mutex total_lock;
{decls}

int main() {{
  std::vector<std::thread> threads;
{starts}
  for (auto &t : threads)
    t.join();
  return shared_total > 0 ? 0 : 1;
}}
"""

SHARED_HEADER = """\
// Generated header shared by every unit: a chain of inline functions.
#pragma once
#include "mock-sync.h"

extern std::mutex shared_lock;
extern long shared_slots[64];

{fns}
"""

SHARED_LAST = """\
inline void shared_fn{j}(int v) {{
  std::lock_guard<std::mutex> g(shared_lock);
  shared_slots[{slot}] += v;
}}
"""

SHARED_FN = """\
inline void shared_fn{j}(int v) {{
  {{
    std::lock_guard<std::mutex> g(shared_lock);
    shared_slots[{slot}] += v;
  }}
  shared_fn{next}(v + {j});
}}
"""

SHARED_DEFS = """\
#include "shared.h"
std::mutex shared_lock;
long shared_slots[64];
"""

STATS = re.compile(r"snag: stats: units (\d+) cached (\d+) parse\+extract ([\d.]+) s link ([\d.]+) s")


MOCK_INCLUDES = ROOT / "test" / "check" / "Inputs"


def callee(i, n, shape):
    """The unit whose work unit i's log calls: the next one around the whole
    tree (every thread reaches every unit), or the next one in its group of
    ten (a thread reaches its group only)."""
    if shape == "groups":
        base = i - i % 10
        return base + (i + 1 - base) % min(10, n - base)
    return (i + 1) % n


def shared_header(k):
    """K inline functions, each defined before the one that calls it."""
    fns = [SHARED_LAST.format(j=k - 1, slot=(k - 1) % 64)]
    for j in range(k - 2, -1, -1):
        fns.append(SHARED_FN.format(j=j, slot=j % 64, next=j + 1))
    return SHARED_HEADER.format(fns="\n".join(fns))


def generate(root, n, mock=False, shape="cycle", header_fns=0):
    src = root / "src"
    src.mkdir(parents=True)
    entries = []
    unit = MOCK_UNIT if mock else UNIT
    if header_fns:
        (src / "shared.h").write_text(shared_header(header_fns))
    for i in range(n):
        text = unit.format(i=i, n=n, next=callee(i, n, shape))
        if header_fns:
            text = text.replace("\nextern int shared_total;", '#include "shared.h"\n\nextern int shared_total;', 1)
            text = text.replace(f"  unit{i}_log(v);\n", f"  unit{i}_log(v);\n  shared_fn0(v);\n", 1)
        (src / f"unit{i}.cpp").write_text(text)
        entries.append(src / f"unit{i}.cpp")
    decls = "\n".join(f"void unit{i}_start();" for i in range(0, n, 10))
    if mock:
        starts = "\n".join(f"  std::thread t{i}(unit{i}_start);" for i in range(0, n, 10))
        starts += "\n" + "\n".join(f"  t{i}.join();" for i in range(0, n, 10))
        (src / "main.cpp").write_text(MOCK_MAIN.format(decls=decls, starts=starts))
    else:
        starts = "\n".join(f"  threads.emplace_back(unit{i}_start);" for i in range(0, n, 10))
        (src / "main.cpp").write_text(MAIN.format(decls=decls, starts=starts))
    entries.append(src / "main.cpp")
    if header_fns:
        (src / "shared.cpp").write_text(SHARED_DEFS)
        entries.append(src / "shared.cpp")
    flags = ["-I", str(MOCK_INCLUDES)] if mock or header_fns else []
    db = [{"directory": str(src), "file": str(f),
           "arguments": ["clang++", "-std=c++20", "-pthread", *flags, "-c", f.name]} for f in entries]
    (src / "compile_commands.json").write_text(json.dumps(db, indent=1))
    return src, entries


def run_snag(snag, src, cache, jobs):
    env = dict(os.environ, SNAG_STATS="1")
    t0 = time.monotonic()
    with tempfile.TemporaryFile(mode="w+") as err:
        p = subprocess.Popen([snag, "check", "--quiet", "-j", str(jobs), "--cache-dir", str(cache),
                              "-p", str(src), str(src)],
                             env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        err.seek(0)
        stderr = err.read()
    code = os.waitstatus_to_exitcode(status)
    m = STATS.search(stderr)
    if code not in (0, 1) or not m:
        sys.exit(f"snag check failed ({code}):\n{stderr[-2000:]}")
    findings = len(re.findall(r"warning:", stderr))
    units, cached, parse, link = int(m[1]), int(m[2]), float(m[3]), float(m[4])
    return {"wall": wall, "units": units, "cached": cached, "parse": parse,
            "link": link, "findings": findings, "maxrss_mib": usage.ru_maxrss / 1024,
            "cpu": usage.ru_utime + usage.ru_stime}


def facts_size(cache):
    """Functions (distinct by USR, and as every TU's facts repeat them),
    accesses and calls in every cached TU's facts."""
    functions = accesses = calls = 0
    usrs = set()
    for entry in Path(cache).glob("*/*.json"):
        program = json.loads(entry.read_text())["facts"]["program"]
        for fn in program.get("functions", []):
            functions += 1
            usrs.add(fn.get("u"))
            accesses += len(fn.get("x", []))
            calls += len(fn.get("c", []))
    return len(usrs), functions, accesses, calls


def scale(a):
    sizes = [int(x) for x in a.scale.split(",")]
    extra = f", a shared header of {a.header_fns} inline functions" if a.header_fns else ""
    print(f"link step as the tree grows ({a.shape}{extra}, {'stand-in' if a.mock else 'standard'} headers, "
          f"warm runs: every TU's facts from the cache; best of {a.repeat})\n")
    print("| TUs | functions | in all TUs' facts | accesses | calls | findings | warm wall s | warm CPU s "
          "| load facts s | link s | link µs per access | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix="snag-race-scale-"))
        src, _ = generate(work, n, mock=a.mock, shape=a.shape, header_fns=a.header_fns)
        cache = work / "cache"
        cold = run_snag(a.snag, src, cache, a.jobs)
        warm = [run_snag(a.snag, src, cache, a.jobs) for _ in range(a.repeat)]
        best = min(warm, key=lambda r: r["link"])
        if best["cached"] != best["units"]:
            sys.exit(f"warm run re-parsed {best['units'] - best['cached']} TUs")
        functions, copies, accesses, calls = facts_size(cache)
        print(f"| {best['units']} | {functions} | {copies} | {accesses} | {calls} | {best['findings']} "
              f"| {min(r['wall'] for r in warm):.2f} | {min(r['cpu'] for r in warm):.2f} "
              f"| {best['parse']:.3f} | {best['link']:.3f} "
              f"| {1e6 * best['link'] / max(accesses, 1):.1f} "
              f"| {max(r['maxrss_mib'] for r in warm):.0f} |", flush=True)
        del cold
        shutil.rmtree(work)


def run_clang(entries, jobs):
    clang = shutil.which("clang++-19") or "clang++"
    t0 = time.monotonic()
    procs = []
    for f in entries:
        procs.append(subprocess.Popen([clang, "-std=c++20", "-pthread", "-I", str(MOCK_INCLUDES),
                                       "-fsyntax-only", str(f)]))
        if len(procs) >= jobs:
            procs.pop(0).wait()
    for p in procs:
        p.wait()
    return time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=120)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--snag", default=os.environ.get("SNAG", str(ROOT / "build/bin/snag")))
    ap.add_argument("--keep")
    ap.add_argument("--scale", help="comma-separated tree sizes: measure the link step alone")
    ap.add_argument("--mock", action="store_true", help="stand-in headers: cheap to parse")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--shape", choices=["cycle", "groups"], default="cycle",
                    help="calls around the whole tree, or within groups of ten units")
    ap.add_argument("--header-fns", type=int, default=0,
                    help="a shared header of this many inline functions every unit calls")
    a = ap.parse_args()
    if a.header_fns and not a.mock:
        ap.error("--header-fns needs --mock (the header includes the stand-in headers)")
    if a.scale:
        scale(a)
        return
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="snag-race-tree-"))
    if work.exists() and a.keep:
        shutil.rmtree(work)
    src, entries = generate(work, a.units, mock=a.mock, header_fns=a.header_fns)
    cache = work / "cache"
    rows = []
    rows.append(("cold (empty cache)", run_snag(a.snag, src, cache, a.jobs)))
    rows.append(("warm (nothing changed)", run_snag(a.snag, src, cache, a.jobs)))
    with open(entries[0], "a") as f:
        f.write("// touched\n")
    rows.append(("warm, one file touched", run_snag(a.snag, src, cache, a.jobs)))
    floor = run_clang(entries, a.jobs)
    print(f"{len(entries)} TUs, -j{a.jobs}; clang -fsyntax-only over all: {floor:.2f} s\n")
    print("| run | wall s | re-parsed | parse+extract s | link s | link share | findings |")
    print("|---|---|---|---|---|---|---|")
    for name, r in rows:
        share = r["link"] / r["wall"] if r["wall"] else 0
        print(f"| {name} | {r['wall']:.2f} | {r['units'] - r['cached']} | {r['parse']:.2f} | "
              f"{r['link']:.3f} | {share:.1%} | {r['findings']} |")
    print(f"\ncold snag / clang -fsyntax-only: {rows[0][1]['wall'] / floor:.2f}")
    if not a.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
