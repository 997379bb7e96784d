#!/bin/sh
# Benchmarks of snag run against the tools users would pick instead: the
# same workloads natively, under `snag run`, built with ThreadSanitizer, and
# under valgrind's helgrind, in one run so the ratios compare like with like.
#
#   bench/run/run.sh [BUILD_DIR]       (default: build)
#
# Needs: clang++-19, pigz, valgrind (Debian packages). Writes to bench/work/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
snag=$build/bin/snag
work=$root/bench/work/run
mkdir -p "$work"
cxx=${CXX:-clang++-19}

N=${N:-5000000}          # lock/unlock pairs per microbenchmark
NH=${NH:-200000}         # fewer under helgrind, which is slow
SIZE_MB=${SIZE_MB:-64}   # pigz input
REPS=${REPS:-3}

$cxx -O2 -g -pthread "$here/lockbench.cpp" -o "$work/lockbench"
$cxx -O2 -g -pthread -fsanitize=thread "$here/lockbench.cpp" -o "$work/lockbench.tsan"

# The best of REPS runs of a command that prints ns per pair.
best() {
  b=""
  for _ in $(seq "$REPS"); do
    v=$("$@" 2>/dev/null | tail -1)
    if [ -z "$b" ] || awk "BEGIN{exit !($v < $b)}"; then b=$v; fi
  done
  echo "$b"
}

# Wall-clock seconds, best of REPS.
best_time() {
  b=""
  for _ in $(seq "$REPS"); do
    s=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    e=$(date +%s.%N)
    v=$(awk "BEGIN{print $e - $s}")
    if [ -z "$b" ] || awk "BEGIN{exit !($v < $b)}"; then b=$v; fi
  done
  echo "$b"
}

echo "# snag run benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
echo
echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates every column alike)."
echo
echo "## Lock microbenchmarks (ns per lock/unlock pair, best of $REPS)"
echo
echo "| workload | native | snag run | added | ThreadSanitizer | helgrind |"
echo "|---|---|---|---|---|---|"
for mode in uncontended nested contended; do
  native=$(best "$work/lockbench" $mode $N)
  snagged=$(best "$snag" run -- "$work/lockbench" $mode $N)
  tsan=$(best env TSAN_OPTIONS=report_bugs=0 "$work/lockbench.tsan" $mode $N)
  helgrind=$(REPS=1 best valgrind --tool=helgrind -q "$work/lockbench" $mode $NH)
  added=$(awk "BEGIN{printf \"%+.1f ns\", $snagged - $native}")
  ratio() { awk "BEGIN{printf \"%.2f (%.1fx)\", $1, $1 / $native}"; }
  echo "| $mode | $native | $(ratio $snagged) | $added | $(ratio $tsan) | $(ratio $helgrind) |"
done

echo
echo "## pigz -p 2 compressing ${SIZE_MB} MB (seconds, best of $REPS)"
echo
input=$work/pigz-input
if [ ! -f "$input" ] || [ "$(stat -c %s "$input")" -ne $((SIZE_MB * 1048576)) ]; then
  # Half text-like, half random: compresses like real data, deterministic.
  python3 - "$input" "$SIZE_MB" <<'PY'
import random, sys
path, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(4096)]
with open(path, "wb") as f:
    left = mb * 1048576
    while left > 0:
        chunk = b" ".join(rng.choice(words) for _ in range(20000))[: min(left, 1 << 17)]
        noise = rng.randbytes(min(len(chunk) // 4, left - len(chunk))) if left > len(chunk) else b""
        f.write(chunk + noise)
        left -= len(chunk) + len(noise)
PY
fi
PREPS=${PREPS:-5}
native=$(REPS=$PREPS best_time pigz -p 2 -c "$input")
snagged=$(REPS=$PREPS best_time "$snag" run -- pigz -p 2 -c "$input")
fixed=$(REPS=$PREPS best_time "$snag" run -- true)
helgrind=$(REPS=1 best_time valgrind --tool=helgrind -q pigz -p 2 -c "$input")
echo "| tool | seconds | ratio |"
echo "|---|---|---|"
echo "| native | $native | 1.00x |"
echo "| snag run | $snagged | $(awk "BEGIN{printf \"%.2fx\", $snagged / $native}") |"
echo "| snag run -- true (fixed cost: start, collect, exit) | $fixed | |"
echo "| helgrind | $helgrind | $(awk "BEGIN{printf \"%.2fx\", $helgrind / $native}") |"
echo "| ThreadSanitizer | n/a | Debian ships pigz prebuilt; no TSan build of it here |"

# Instructions executed do not depend on what else the machine runs: the
# runtime's own cost, free of scheduling noise (callgrind serializes threads,
# so this leaves out contention effects).
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p'
}
# The same with the runtime preloaded (valgrind hands LD_PRELOAD to the
# program it runs).
count_rt() {
  LD_PRELOAD="$rt" SNAG_OPTIONS=report_dir="$work" count "$@"
}
echo
echo "## Instructions executed (valgrind --tool=callgrind; load-independent)"
echo
rt=$build/lib/libsnag_rt.so
head -c 4000000 "$input" > "$work/pigz-small"
base0=$(count "$work/lockbench" uncontended 0)
base1=$(count "$work/lockbench" uncontended 200000)
shim0=$(count_rt "$work/lockbench" uncontended 0)
shim1=$(count_rt "$work/lockbench" uncontended 200000)
pn=$(count pigz -p 2 -c "$work/pigz-small")
ps=$(count_rt pigz -p 2 -c "$work/pigz-small")
echo "| workload | native | with the runtime | added |"
echo "|---|---|---|---|"
awk "BEGIN{n=($base1-$base0)/200000; s=($shim1-$shim0)/200000; printf \"| uncontended lock/unlock pair | %.0f | %.0f | +%.0f instructions |\n\", n, s, s-n}"
awk "BEGIN{printf \"| pigz -p 2, 4 MB | %d | %d | %+.2f%% |\n\", $pn, $ps, ($ps-$pn)*100/$pn}"
rm -f "$work"/snag-rt.*
