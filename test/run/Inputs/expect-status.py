"""Runs a command and fails unless it exits with the given status.

Usage: expect-status.py STATUS COMMAND ARGS...  (lit's shell has no $?)
"""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.run(sys.argv[2:]).returncode
if got != want:
    sys.exit(f"expected exit status {want}, got {got}")
