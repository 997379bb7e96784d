#!/bin/sh
# bench/tsan: the overhead of snag run on a ThreadSanitizer build.
# Builds workload.cpp with -fsanitize=thread, then times it 5 times alone and
# 5 times under `snag run`, and prints the median wall-clock seconds of each.
# Usage: bench/tsan/run.sh [SNAG] [N]   (SNAG defaults to build/bin/snag)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
snag=${1:-$here/../../build/bin/snag}
n=${2:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clang++-19 -std=c++20 -O1 -g -fsanitize=thread "$here/workload.cpp" -o "$work/workload"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() {
  for i in 1 2 3 4 5; do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    echo "$e - $s" | bc
  done | median
}
alone=$(time_it "$work/workload" "$n")
under=$(time_it "$snag" run -- "$work/workload" "$n")
echo "tsan build alone:      $alone s"
echo "tsan build, snag run:  $under s"
echo "overhead:              $(echo "scale=2; $under / $alone" | bc)x"
