#!/usr/bin/env bash
# The quick start's first command: set up, build, and run snag on examples/.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 2
echo
echo "== snag check examples/"
build/bin/snag check examples/
status=$?
echo
echo "snag check exited $status (0: nothing found, 1: findings, 2: snag could not do its job)"
[ "$status" -le 1 ]
