#!/usr/bin/env bash
# The quick start's second command: set up, build, and run the whole test
# suite (lit: test/check, test/cli, test/run). Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 2
BUILD_DIR=${BUILD_DIR:-build}

log=$(mktemp)
python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv "$BUILD_DIR/test" 2>&1 | tee "$log"
lit_status=${PIPESTATUS[0]}

# The shared acceptance programs, when they sit beside the repository: their
# score is shown, not enforced (they are the product's seeds, not its tests).
if [ -x ../shared/acceptance/run ]; then
  echo
  echo "== acceptance (informational)"
  SNAG="$PWD/$BUILD_DIR/bin/snag" timeout 1800 python3 ../shared/acceptance/run | tail -n 5 | sed 's/passed, /passed and /; s/^/acceptance: /'
fi

# lit's summary lines read "  Passed: 13 (100.00%)".
count() { sed -nE "s/^ *$1 *: *([0-9]+).*/\1/p" "$log" | tail -1; }
passed=$(count Passed)
failed=0
for kind in Failed Unresolved 'Unexpectedly Passed' 'Timed Out'; do
  n=$(count "$kind")
  failed=$((failed + ${n:-0}))
done
rm -f "$log"
echo
echo "${passed:-0} passed, $failed failed"
if [ "$lit_status" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  exit 1
fi
