#!/usr/bin/env python3
"""Counts the ThreadSanitizer access checks (calls of __tsan_read*,
__tsan_write* and __tsan_unaligned_*) in each named function of an object
file, from llvm-objdump's disassembly with relocations."""
import re
import subprocess
import sys

obj, names = sys.argv[1], sys.argv[2:]
text = subprocess.run(["llvm-objdump", "-dr", "--no-show-raw-insn", obj],
                      check=True, stdout=subprocess.PIPE, text=True).stdout
counts, current = {}, None
for line in text.splitlines():
    m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
    if m:
        current = m.group(1)
        counts.setdefault(current, 0)
    elif current and re.search(r"R_X86_64_\w+\s+__tsan_(unaligned_)?(read|write)", line):
        counts[current] += 1
for n in names:
    if n not in counts:
        print(f"{n}: not in {obj}")
    else:
        print(f"{n}: {counts[n]} access checks")
