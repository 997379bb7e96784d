#!/usr/bin/env python3
"""make-db.py OUT.json FILE [FLAGS...]: writes a one-entry compile_commands.json."""
import json
import os
import sys

out, source, flags = sys.argv[1], sys.argv[2], sys.argv[3:]
entries = []
if os.path.exists(out):
    entries = json.load(open(out))
entries.append({
    "directory": os.path.dirname(source),
    "file": source,
    "arguments": ["/usr/bin/c++", "-std=c++17", *flags, "-c", source, "-o", source + ".o"],
})
json.dump(entries, open(out, "w"), indent=1)
