#!/usr/bin/env python3
"""Times snag check against the tools a user would run instead, on the same
translation units in the same run: clang -fsyntax-only (the floor: parsing
alone), clang-tidy with its concurrency and bugprone checks, snag check
--parse-only (parsing in one process, no analysis: the floor without
clang's per-file process start), and snag check cold (--no-cache) and warm
(cache filled, nothing changed). All with one
worker, so the ratios compare work, not parallelism.

usage: compare.py [-p BUILD_DIR] [--files N] [--repeat R] [--out RESULTS.md]

BUILD_DIR holds compile_commands.json; by default snag's own build/, whose
TUs include Clang's heavy headers. Needs clang-19 and clang-tidy-19 (Debian);
installs clang-tidy-19 with apt-get when it is missing and we are root."""
import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def arguments(entry):
    args = entry.get("arguments") or shlex.split(entry["command"])
    out, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or a == entry["file"]:
            continue
        out.append(a)
    return out


def timed(cmds, ok=(0,)):
    """Runs (argv, cwd) pairs one after the other; any exit status outside
    `ok` stops the benchmark, so a tool that fails fast never looks fast."""
    start = time.perf_counter()
    for cmd, cwd in cmds:
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if proc.returncode not in ok:
            sys.exit(f"compare: {' '.join(cmd[:4])}... exited {proc.returncode}:\n"
                     + proc.stderr[-2000:])
    return time.perf_counter() - start


def best_of(repeat, fn):
    return min(fn() for _ in range(repeat))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-p", default=str(ROOT / "build"))
    ap.add_argument("--snag", default=str(ROOT / "build/bin/snag"))
    ap.add_argument("--files", type=int, default=0, help="only the first N sources (0: all)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--out", help="append a results section to this Markdown file")
    args = ap.parse_args()

    tidy = shutil.which("clang-tidy-19")
    if not tidy and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "clang-tidy-19"], check=False,
                       stdout=subprocess.DEVNULL)
        tidy = shutil.which("clang-tidy-19")
    clang = shutil.which("clang-19") or sys.exit("compare: clang-19 not found")
    clangxx = shutil.which("clang++-19") or sys.exit("compare: clang++-19 not found")

    db = json.loads((Path(args.p) / "compile_commands.json").read_text())
    entries = [e for e in db if Path(e["file"]).suffix in (".c", ".cc", ".cpp", ".cxx")]
    entries.sort(key=lambda e: e["file"])
    if args.files:
        entries = entries[: args.files]
    files = [e["file"] for e in entries]

    resource = subprocess.run(["clang-19", "-print-resource-dir"], capture_output=True,
                              text=True).stdout.strip()
    def compiler(e):
        return clang if e["file"].endswith(".c") else clangxx

    syntax = [([compiler(e), "-fsyntax-only", "-w", "-resource-dir=" + resource] +
               arguments(e) + [e["file"]], e["directory"]) for e in entries]
    results = {}
    results["clang -fsyntax-only"] = best_of(args.repeat, lambda: timed(syntax))
    if tidy:
        tidy_cmds = [([tidy, "-p", args.p, "--quiet", "--checks=-*,concurrency-*,bugprone-*", f], None)
                     for f in files]
        # clang-tidy exits 1 when a check warns.
        results["clang-tidy (concurrency-*, bugprone-*)"] = best_of(
            args.repeat, lambda: timed(tidy_cmds, ok=(0, 1)))
    cache = tempfile.mkdtemp(prefix="snag-bench-cache-")
    snag = [args.snag, "check", "-j", "1", "--quiet", "-p", args.p, "--cache-dir", cache]
    # Parsing alone inside snag: the floor without a process per file.
    results["snag check --parse-only (parsing, no analysis)"] = best_of(
        args.repeat, lambda: timed([(snag + ["--parse-only"] + files, None)], ok=(0, 1)))
    results["snag check, cold (--no-cache)"] = best_of(
        args.repeat, lambda: timed([(snag + ["--no-cache"] + files, None)], ok=(0, 1)))
    timed([(snag + files, None)], ok=(0, 1))  # fill the cache
    results["snag check, warm (nothing changed)"] = best_of(
        args.repeat, lambda: timed([(snag + files, None)], ok=(0, 1)))
    shutil.rmtree(cache, ignore_errors=True)

    floor = results["clang -fsyntax-only"]
    parse = results["snag check --parse-only (parsing, no analysis)"]
    lines = [
        f"### {len(files)} TUs from {args.p}/compile_commands.json, one worker",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"best of {args.repeat}.",
        "",
        "| tool | seconds | ratio to clang -fsyntax-only (a process per file) | ratio to parsing in one process |",
        "|---|---|---|---|",
    ]
    for name, secs in results.items():
        lines.append(f"| {name} | {secs:.2f} | {secs / floor:.2f}x | {secs / parse:.2f}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
