#!/usr/bin/env python3
"""Prints one key per data race in a `snag run --format json` report, sorted,
for set comparisons: snag's fingerprint (the rule, the two accessing
functions and the variable; not which of the two accesses came second, which
changes from run to run) and, for people, the variable."""
import json
import re
import sys

try:
    report = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    sys.exit(0)
keys = set()
for f in report.get("findings", []):
    if f.get("rule") != "data-race":
        continue
    names = re.findall(r"`([^`]+)`", f.get("message", ""))
    keys.add(f"{f.get('fingerprint')} {names[0] if names else '?'}")
print("\n".join(sorted(keys)))
