#!/usr/bin/env python3
"""deep-else-if.py OUT N: a function with an N-deep `else if` chain, then a
condition wait with no predicate (one finding), as generated code has them."""
import sys

out, depth = sys.argv[1], int(sys.argv[2])
with open(out, "w") as f:
    f.write("#include <condition_variable>\n#include <mutex>\n")
    f.write("std::mutex m;\nstd::condition_variable cv;\n")
    f.write("int classify(int x) {\n  if (x == 0) return 0;\n")
    for i in range(1, depth):
        f.write(f"  else if (x == {i}) return {i};\n")
    f.write("  return -1;\n}\n")
    f.write("void bad_wait() {\n  std::unique_lock<std::mutex> lk(m);\n  cv.wait(lk);\n}\n")
