#!/usr/bin/env python3
"""Runs a command, passes its output through, then prints `exit N` and
exits 0, so lit tests can FileCheck an exact exit status."""
import subprocess
import sys

proc = subprocess.run(sys.argv[1:])
sys.stdout.flush()
print(f"exit {proc.returncode}", flush=True)
