"""Holds the examples to what they say snag finds in them.

  check-examples.py SNAG EXAMPLES_DIR [--build BUILD_DIR]

Every C and C++ file under EXAMPLES_DIR says "What snag finds here", then
one line per finding:

    snag check  line 23  lock-order-inversion   why
    snag run    line 23  lock-order-inversion|deadlock   why

(or nothing). `snag check EXAMPLES_DIR` must report exactly the claimed
(file, line, rule) findings. With --build (the examples built through
examples/CMakeLists.txt), each program there runs under `snag run`, which
must report exactly its source's run claims (a|b: either rule).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

CLAIM = re.compile(r"snag (check|run)\s+line (\d+)\s+([a-z|-]+)")


def claims_in(root):
    claims, problems = {}, []
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith((".c", ".cpp")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            text = open(path).read()
            if "What snag finds here" not in text:
                problems.append("%s does not say what snag finds in it" % rel)
            claims[rel] = {"check": set(), "run": set()}
            for kind, line, rules in CLAIM.findall(text):
                claims[rel][kind].add((int(line), rules))
    return claims, problems


def findings(cmd, root, out=None):
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=300)
    text = open(out).read() if out else done.stdout.decode()
    try:
        report = json.loads(text)
    except ValueError:
        sys.exit("no JSON report from %s:\n%s" % (" ".join(cmd), done.stderr.decode()[-2000:]))
    got = set()
    for f in report["findings"]:
        loc = f["location"]
        rel = os.path.relpath(os.path.realpath(loc["file"]), os.path.realpath(root))
        got.add((rel, loc["line"], f["rule"]))
    return got


def compare(kind, claimed, got, problems):
    """claimed: {(file, line, "a|b")}, got: {(file, line, rule)}."""
    unmatched = set(got)
    for file, line, rules in sorted(claimed):
        hits = {g for g in got if g[0] == file and g[1] == line and g[2] in rules.split("|")}
        if not hits:
            problems.append("%s:%d: claims snag %s finds %s; it does not" % (file, line, kind, rules))
        unmatched -= hits
    for file, line, rule in sorted(unmatched):
        problems.append("%s:%d: snag %s finds %s; the file does not say so" % (file, line, kind, rule))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("snag")
    ap.add_argument("examples")
    ap.add_argument("--build")
    opts = ap.parse_args()
    root = os.path.abspath(opts.examples)
    claims, problems = claims_in(root)

    got = findings([opts.snag, "check", "--no-cache", "--quiet", "--format", "json", root], root)
    claimed = {(f, line, rules) for f, c in claims.items() for line, rules in c["check"]}
    compare("check", claimed, got, problems)
    print("snag check: %d claims, %d findings" % (len(claimed), len(got)))

    if opts.build:
        ran = 0
        for rel, c in sorted(claims.items()):
            stem = os.path.splitext(rel)[0]
            for exe in (stem, stem + "_c"):
                program = os.path.join(opts.build, exe)
                if os.path.dirname(rel) == "" and os.access(program, os.X_OK):
                    break
            else:
                continue
            ran += 1
            with tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, "run.json")
                got = findings([opts.snag, "run", "--format", "json", "-o", out, "--", program],
                               root, out)
            compare("run", {(rel, line, rules) for line, rules in c["run"]}, got, problems)
        print("snag run: %d programs" % ran)

    for p in problems:
        print("error:", p)
    print("%d problems" % len(problems))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
