#!/usr/bin/env python3
"""Measures snag check and the snag facts launcher on a deterministic subset
of a large tree's translation units (RocksDB from Debian's source package
in bench/check/RESULTS.md), each in the same run, at -j J:

- clang -fsyntax-only over the subset (the floor of any Clang-based tool);
- snag check cold (empty cache, no build facts), warm (nothing changed),
  warm after touching one leaf source, and after touching a header that
  many files include; peak memory of each run;
- a plain build of the subset's objects (each database command as it is)
  against the same build under `snag facts --`, then `snag check -p` over
  the facts that build wrote.

Wall times on a shared machine move with other people's load: each row also
gives the CPU seconds its processes used (user + system), which do not.

usage: large_tree.py -p BUILD_DIR --files N [--jobs J] [--header PATH]
                     [--snag PATH] [--work DIR]

The subset is every k-th file of the database sorted by path, so that it
spreads over the tree and is the same from run to run. Touched files get
back their content afterwards. Objects are written under --work, never into
BUILD_DIR."""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def command_of(entry):
    return entry.get("arguments") or shlex.split(entry["command"])


def with_output(args, obj):
    """The command with its -o replaced by OBJ."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a.startswith("-o") and len(a) > 2:
            continue
        out.append(a)
    return out + ["-o", str(obj)]


def syntax_only(args):
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD"):
            continue
        out.append(a)
    return out + ["-fsyntax-only"]


def run_all(commands, jobs):
    """Runs (directory, argv) pairs, J at a time: wall s, CPU s, peak RSS MiB."""
    t0 = time.monotonic()
    cpu = 0.0
    peak = 0
    running = []

    def reap(p):
        nonlocal cpu, peak
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss)
        if p.returncode != 0:
            sys.exit(f"failed ({p.returncode}): {shlex.join(p.args)}")

    for directory, argv in commands:
        running.append(subprocess.Popen(argv, cwd=directory, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))
        if len(running) >= jobs:
            reap(running.pop(0))
    for p in running:
        reap(p)
    return time.monotonic() - t0, cpu, peak / 1024


def snag_check(snag, db_dir, cache, jobs, extra=()):
    env = dict(os.environ, SNAG_STATS="1")
    t0 = time.monotonic()
    with tempfile.TemporaryFile(mode="w+") as err:
        p = subprocess.Popen([snag, "check", "-j", str(jobs), "--cache-dir", str(cache),
                              "-p", str(db_dir), *extra],
                             env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        err.seek(0)
        stderr = err.read()
    code = os.waitstatus_to_exitcode(status)
    summary = [l for l in stderr.splitlines() if l.startswith("snag: ") and " finding" in l]
    stats = re.search(r"link ([\d.]+) s", stderr)
    if code not in (0, 1, 2) or not summary:
        sys.exit(f"snag check failed ({code}):\n{stderr[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss": usage.ru_maxrss / 1024, "summary": summary[-1][len("snag: "):],
            "link": float(stats[1]) if stats else 0.0, "code": code}


def touched(path):
    """Appends a comment to PATH; returns the original content."""
    text = Path(path).read_bytes()
    Path(path).write_bytes(text + b"\n// touched by large_tree.py\n")
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-p", dest="build", required=True)
    ap.add_argument("--files", type=int, required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--header", help="a header many files include, to touch")
    ap.add_argument("--snag", default=os.environ.get("SNAG", str(ROOT / "build/bin/snag")))
    ap.add_argument("--work")
    ap.add_argument("--skip-build", action="store_true", help="no plain and launcher builds")
    a = ap.parse_args()

    entries = json.load(open(Path(a.build) / "compile_commands.json"))
    entries = sorted((e for e in entries if e["file"].endswith((".cc", ".cpp", ".c"))),
                     key=lambda e: e["file"])
    step = max(1, len(entries) // a.files)
    subset = entries[::step][:a.files]
    work = Path(a.work or tempfile.mkdtemp(prefix="snag-large-tree-"))
    if work.exists():
        shutil.rmtree(work)
    (work / "objects").mkdir(parents=True)
    # The subset's database: each command writes its object under work/.
    db = []
    for i, e in enumerate(subset):
        obj = work / "objects" / f"{i:04d}-{Path(e['file']).name}.o"
        db.append({"directory": e["directory"], "file": e["file"],
                   "arguments": with_output(command_of(e), obj)})
    (work / "compile_commands.json").write_text(json.dumps(db, indent=1))
    lines = sum(Path(e["file"]).read_bytes().count(b"\n") for e in subset)
    print(f"{len(subset)} of {len(entries)} TUs (every {step}th by path, {lines} lines "
          f"in the sources themselves), -j{a.jobs}\n")

    rows = []
    wall, cpu, peak = run_all([(e["directory"], syntax_only(e["arguments"])) for e in db], a.jobs)
    rows.append(("clang -fsyntax-only", wall, cpu, peak, ""))
    floor = wall, cpu

    def check(name, cache, extra=()):
        r = snag_check(a.snag, work, cache, a.jobs, extra)
        rows.append((name, r["wall"], r["cpu"], r["rss"], f"link {r['link']:.2f} s; {r['summary']}"))
        return r

    cold = check("snag check, cold", work / "cache")
    check("snag check, warm (nothing changed)", work / "cache")
    leaf = subset[len(subset) // 2]["file"]
    original = touched(leaf)
    try:
        check(f"snag check, warm, {Path(leaf).name} touched", work / "cache")
    finally:
        Path(leaf).write_bytes(original)
    if a.header:
        original = touched(a.header)
        try:
            check(f"snag check, warm, {Path(a.header).name} touched", work / "cache")
        finally:
            Path(a.header).write_bytes(original)

    if not a.skip_build:
        build = [(e["directory"], e["arguments"]) for e in db]
        wall, cpu, peak = run_all(build, a.jobs)
        rows.append(("plain build (the database's commands)", wall, cpu, peak, ""))
        plain = wall, cpu
        for f in (work / "objects").iterdir():
            f.unlink()
        wall, cpu, peak = run_all([(d, [a.snag, "facts", "--", *argv]) for d, argv in build], a.jobs)
        facts = len(list((work / "objects").glob("*.snag")))
        rows.append(("build under `snag facts`", wall, cpu, peak, f"{facts} facts files"))
        launcher = wall, cpu
        check("snag check -p after that build", work / "cache-empty")

    print("| run | wall s | CPU s | peak RSS MiB | notes |")
    print("|---|---|---|---|---|")
    for name, wall, cpu, rss, note in rows:
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {rss:.0f} | {note} |")
    print(f"\ncold snag check / clang -fsyntax-only: wall {cold['wall'] / floor[0]:.2f}, "
          f"CPU {cold['cpu'] / floor[1]:.2f}")
    if not a.skip_build:
        print(f"build under snag facts / plain build: wall {launcher[0] / plain[0]:.2f}, "
              f"CPU {launcher[1] / plain[1]:.2f}")
    if not a.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
