#!/usr/bin/env bash
# The quick start's first command: set up, build, and run snag on examples/.
# Build output goes to a log, so what shows is snag's own output.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp "${TMPDIR:-/tmp}/snag-demo.XXXXXX")
quietly() {
  if ! "$@" >>"$log" 2>&1; then
    tail -n 40 "$log"
    echo "demo: '$*' failed; its whole output is in $log"
    exit 2
  fi
}

echo "== building snag (scripts/setup.sh; output in $log)"
quietly bash scripts/setup.sh

echo
echo "== snag check examples/"
build/bin/snag check examples/
status=$?
echo
echo "snag check exited $status (0: nothing found, 1: findings, 2: snag could not do its job)"
build/bin/snag check --quiet --format html -o build/examples-report.html examples/
echo "The same findings as one page: build/examples-report.html"

echo
echo "== snag run -- bank_transfer"
# The examples build through snag's CMake package, as a project of yours would.
quietly cmake -S examples -B build-examples -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build" \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19
quietly cmake --build build-examples
build/bin/snag run -- build-examples/bank_transfer
run_status=$?
echo
echo "snag run exited $run_status (66: findings; else the program's own status)"
rm -f "$log"
[ "$status" -le 1 ] && { [ "$run_status" -eq 0 ] || [ "$run_status" -eq 66 ]; }
