#!/usr/bin/env python3
"""Writes docs/rules/README.md from tool/rules/Rules.def, the one registry of
rules. With --check, fails (exit 1) when the committed index is out of date,
or a rule has no page or no lit test expecting it, instead of writing."""
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
registry = (root / "tool/rules/Rules.def").read_text()
rules = re.findall(r'^RULE\("([a-z0-9-]+)",\s*"([^"]+)",\s*\n?\s*"([^"]+)"\)', registry, re.M)
if not rules:
    sys.exit("gen-rules-index: no RULE entries found in Rules.def")

lines = [
    "# snag's rules",
    "",
    "Generated from `tool/rules/Rules.def` by `scripts/gen-rules-index.py`; do not edit.",
    "",
    "Each rule has one id everywhere: text output (`[snag-<id>]`), SARIF `ruleId`,",
    "`.snag.yaml`, `NOLINT(snag-<id>)`, this folder and the tests.",
    "",
    "| id | found by | what it means |",
    "|---|---|---|",
]
for rid, found_by, summary in rules:
    lines.append(f"| [`{rid}`]({rid}.md) | {found_by} | {summary} |")
text = "\n".join(lines) + "\n"

index = root / "docs/rules/README.md"
missing = [rid for rid, _, _ in rules if not (root / "docs/rules" / f"{rid}.md").exists()]

# A rule is tested when some lit test expects its diagnostic, `[snag-<id>]`.
tested = set()
for path in (root / "test").rglob("*"):
    if path.is_file() and path.suffix in (".c", ".cpp", ".test"):
        source = path.read_text(errors="replace")
        tested.update(rid for rid, _, _ in rules if f"snag-{rid}]" in source)
untested = [rid for rid, _, _ in rules if rid not in tested]
if "--check" in sys.argv:
    problems = []
    if not index.exists() or index.read_text() != text:
        problems.append("docs/rules/README.md is out of date: run scripts/gen-rules-index.py")
    problems += [f"rule '{rid}' has no page docs/rules/{rid}.md" for rid in missing]
    problems += [f"rule '{rid}' has no lit test expecting [snag-{rid}]" for rid in untested]
    for p in problems:
        print("gen-rules-index:", p)
    sys.exit(1 if problems else 0)
index.write_text(text)
print(f"wrote {index.relative_to(root)} ({len(rules)} rules)")
