#!/bin/sh
# Scale benchmarks of snag run: time of the held-lock chains case and peak
# memory of the lock and thread churn case, natively and under snag run.
#
#   bench/run/scale.sh [BUILD_DIR]       (default: build)
#
# Needs: clang-19, GNU time (/usr/bin/time). Writes to bench/work/run/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
snag=$build/bin/snag
work=$root/bench/work/run
mkdir -p "$work"
cc=${CC:-clang-19}
$cc -O2 -g -pthread "$here/heldlocks.c" -o "$work/heldlocks"
$cc -O2 -g -pthread "$here/churn.c" -o "$work/churn"

# "seconds peak-KiB" of a command, from GNU time.
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null 2>&1 || true
  cat "$work/time.out"
}
# Peak RSS of the program under snag run: the program is the one process
# that maps the runtime, so measure it from inside snag run.
measure_snag() {
  /usr/bin/time -f "%e %M" -o "$work/time.out" "$snag" run -- /usr/bin/time -f "%e %M" -o "$work/inner.out" "$@" >/dev/null 2>&1 || true
  echo "$(cut -d' ' -f1 "$work/time.out") $(cut -d' ' -f2 "$work/inner.out")"
}

echo "| workload | native s | native peak KiB | snag run s | snag run peak KiB (program) |"
echo "|---|---|---|---|---|"
for args in "1000 3 2" "16000 1 4 rwlock"; do
  n=$(measure "$work/heldlocks" $args)
  s=$(measure_snag "$work/heldlocks" $args)
  echo "| heldlocks $args | ${n% *} | ${n#* } | ${s% *} | ${s#* } |"
done
n=$(measure "$work/churn")
s=$(measure_snag "$work/churn")
echo "| churn 2000000 mutexes, 20000 threads, 1000000 nested mutexes freed | ${n% *} | ${n#* } | ${s% *} | ${s#* } |"
