#!/usr/bin/env python3
"""make-db.py DIR OUT.json COMMAND...: adds to OUT.json (a compilation
database) the entry for the compile command COMMAND run in DIR; the source is
the argument that ends in .cpp or .c."""
import json
import os
import sys

directory, out, command = sys.argv[1], sys.argv[2], sys.argv[3:]
entries = json.load(open(out)) if os.path.exists(out) else []
source = next(a for a in command if a.endswith((".cpp", ".c")))
entries.append({"directory": directory, "file": source, "arguments": command})
json.dump(entries, open(out, "w"), indent=1)
