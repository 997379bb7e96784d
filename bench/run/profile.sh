#!/bin/sh
# The cost of snag run --profile: lockbench's lock/unlock pairs natively,
# with the runtime (profile off) and with the profile on, in ns per pair
# (best of REPS), and the instructions per uncontended pair (callgrind,
# load-independent). BASE_RT, when given, is another build's runtime to
# compare the profile-off fast path against (the runtime before --profile).
#
#   bench/run/profile.sh [BUILD_DIR]       (default: build)
#
# Needs: clang++-19, valgrind. Writes to bench/work/run/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
rt=$build/lib/libsnag_rt.so
work=$root/bench/work/run
mkdir -p -m 700 "$work/profile-reports"
N=${N:-5000000}
REPS=${REPS:-5}
clang++-19 -O2 -g -pthread "$here/lockbench.cpp" -o "$work/lockbench"

best() {
  b=""
  for _ in $(seq "$REPS"); do
    v=$("$@" 2>/dev/null | tail -1)
    if [ -z "$b" ] || awk "BEGIN{exit !($v < $b)}"; then b=$v; fi
  done
  echo "$b"
}
with_rt() {
  lib=$1 opts=$2
  shift 2
  LD_PRELOAD="$lib" SNAG_OPTIONS="report_dir=$work/profile-reports$opts" "$@"
}

echo "| workload | native | runtime | runtime --profile |${BASE_RT:+ runtime before |}"
echo "|---|---|---|---|${BASE_RT:+---|}"
for mode in uncontended nested contended; do
  native=$(best "$work/lockbench" $mode $N)
  off=$(best with_rt "$rt" "" "$work/lockbench" $mode $N)
  on=$(best with_rt "$rt" ":profile=1" "$work/lockbench" $mode $N)
  base=""
  [ -n "${BASE_RT:-}" ] && base=" $(best with_rt "$BASE_RT" "" "$work/lockbench" $mode $N) |"
  echo "| $mode | $native | $off | $on |$base"
done

# Instructions per uncontended pair: the difference between 200,000 and
# 100,000 pairs, divided by 100,000. PRELOAD holds the environment that
# preloads the runtime into the program valgrind runs, and nothing else.
PRELOAD=""
count() {
  env $PRELOAD valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p'
}
per_pair() {
  a=$(count "$work/lockbench" uncontended 100000)
  b=$(count "$work/lockbench" uncontended 200000)
  awk "BEGIN{printf \"%.0f\", ($b - $a) / 100000}"
}
per_pair_rt() {
  PRELOAD="LD_PRELOAD=$1 SNAG_OPTIONS=report_dir=$work/profile-reports$2"
  per_pair
  PRELOAD=""
}
echo
echo "| instructions per uncontended pair | native | runtime | runtime --profile |${BASE_RT:+ runtime before |}"
echo "|---|---|---|---|${BASE_RT:+---|}"
n=$(per_pair)
off=$(per_pair_rt "$rt" "")
on=$(per_pair_rt "$rt" ":profile=1")
base=""
[ -n "${BASE_RT:-}" ] && base=" $(per_pair_rt "$BASE_RT" "") |"
echo "| lockbench | $n | $off | $on |$base"

# pigz (Debian's build), when installed: seconds to compress SIZE_MB of
# bench/run/run.sh's input with two threads, best of REPS.
if command -v pigz >/dev/null && [ -f "$work/pigz-input" ]; then
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
  snag=$build/bin/snag
  native=$(best_time pigz -p 2 -c "$work/pigz-input")
  off=$(best_time "$snag" run -- pigz -p 2 -c "$work/pigz-input")
  on=$(best_time "$snag" run --profile -- pigz -p 2 -c "$work/pigz-input")
  echo
  echo "| pigz -p 2, seconds | native | snag run | snag run --profile |"
  echo "|---|---|---|---|"
  echo "| $(($(stat -c %s "$work/pigz-input") / 1048576)) MB | $native | $off ($(awk "BEGIN{printf \"%.2fx\", $off / $native}")) | $on ($(awk "BEGIN{printf \"%.2fx\", $on / $native}")) |"
fi
rm -rf "$work/profile-reports"
