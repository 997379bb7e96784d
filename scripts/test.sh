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

# Unit tests (the runtime core, driven without preloading) through ctest;
# lit is registered there too, and has just run.
ulog=$(mktemp)
ctest --test-dir "$BUILD_DIR" -E '^lit$' --output-on-failure 2>&1 | tee "$ulog"
unit_status=${PIPESTATUS[0]}

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
# ctest closes with "100% tests passed, 0 tests failed out of 22".
unit_total=$(sed -nE 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/p' "$ulog" | tail -1)
unit_failed=$(sed -nE 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/p' "$ulog" | tail -1)
passed=$(( ${passed:-0} + ${unit_total:-0} - ${unit_failed:-0} ))
failed=$(( failed + ${unit_failed:-0} ))
# CI logs keep their head and tail: a failed test's last lines go at the
# end too, so the cause is there to read.
if [ "$lit_status" -ne 0 ]; then
  awk '/^\*+ TEST .* FAILED \*+$/ {on=1; n=0; name=$0; next}
       on && /^\*+$/ {on=0; print "\n== " name; s=(n>40?n-40:0); for (i=s;i<n;i++) print buf[i]; next}
       on {buf[n++]=$0}' "$log"
fi
rm -f "$log" "$ulog"
echo
echo "$passed passed, $failed failed"
if [ "$lit_status" -ne 0 ] || [ "$unit_status" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
