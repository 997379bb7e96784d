#!/usr/bin/env bash
# Native, full ThreadSanitizer and focused ThreadSanitizer builds, timed, and the races each finds.
#
# usage: bench/focus/run.sh SNAG WORKDIR [acceptance] [compute] [pigz] [leveldb] [leveldb_tests]
#   SNAG     the snag binary (build/bin/snag)
#   WORKDIR  scratch folder for the builds (sources are copied there)
# Environment: ACCEPTANCE (the acceptance programs' folder), PIGZ_SRC and
# LEVELDB_SRC (source trees, copied, never built in place), RUNS (timed runs
# of each build, median reported; default 3), TIMEOUT (seconds a timed run
# may take before it is cut off; default 120), JOBS (build parallelism),
# LEVELDB_EXTRA (more focused leveldb variants to time, each a ThreadSanitizer
# knob turned off: nofuncs, noatomics).
#
# Each program is built three ways with clang-19 at the same optimisation:
#   native   -O2 -g
#   full     -O2 -g -fsanitize=thread
#   focused  -O2 -g -fsanitize=thread -fsanitize-ignorelist=focus.txt, the
#            list `snag check --write-focus` writes for the same sources.
# Times are of the program alone (no snag run), the median of RUNS runs.
# Races are counted from one run of each ThreadSanitizer build under
# `snag run --format json`: data-race findings, keyed by their place.
set -euo pipefail
SNAG=$(realpath "$1")
WORK=$(realpath -m "$2")
shift 2
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-120}
LEVELDB_EXTRA=${LEVELDB_EXTRA:-}
JOBS=${JOBS:-2}
ACCEPTANCE=${ACCEPTANCE:-$(dirname "$(realpath "$0")")/../../../shared/acceptance}
HERE=$(dirname "$(realpath "$0")")
CC=clang-19
CXX=clang++-19
mkdir -p "$WORK"

# median_time CMD...: the median wall time of RUNS runs, in seconds.
median_time() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N)
    timeout "$TIMEOUT" "$@" > /dev/null 2>&1 || true
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

# races OUT.json CMD...: one run under snag run; prints the data-race keys.
races() {
  local out=$1
  shift
  "$SNAG" run --format json -o "$out" -- "$@" > /dev/null 2>&1 || true
  python3 "$HERE/races.py" "$out"
}

row() { # name native full focused races-full races-focused
  printf '| %s | %.3f s | %.3f s (%.2fx) | %.3f s (%.2fx) | %s | %s |\n' "$1" "$2" "$3" \
    "$(echo "$3 / $2" | bc -l)" "$4" "$(echo "$4 / $2" | bc -l)" "$5" "$6"
}

header() {
  echo
  echo "## $1"
  echo
  echo "| program | native | full TSan | focused TSan | races (full) | of them, found by focused |"
  echo "|---|---|---|---|---|---|"
}

# found FULL FOCUSED: how many of the full build's race keys the focused
# build also reports, as "n/m".
found() {
  local n m
  m=$(grep -c . "$1" || true)
  n=$(grep -Fxf "$1" "$2" | grep -c . || true)
  echo "$n/$m"
}

acceptance() {
  header "Acceptance programs ($ACCEPTANCE)"
  local d="$WORK/acceptance"
  mkdir -p "$d"
  for src in "$ACCEPTANCE"/*.c "$ACCEPTANCE"/*.cpp; do
    grep -q 'snag-expect-runtime' "$src" || continue
    grep -q 'snag-runtime-skip' "$src" && continue
    # A program that deadlocks by design cannot be timed.
    grep -q 'snag-expect-runtime: deadlock' "$src" && continue
    local name cc std
    name=$(basename "${src%.*}")
    if [[ $src == *.c ]]; then cc=$CC; std=-std=gnu17; else cc=$CXX; std=-std=c++20; fi
    "$SNAG" check --no-cache --quiet --write-focus "$d/$name.focus" "$src" -- $std -pthread > /dev/null 2>&1 || true
    $cc $std -O2 -g -pthread "$src" -o "$d/$name.native"
    # A program that does not end by itself (it deadlocks, or waits for a
    # daemon for ever, by design) cannot be timed.
    local status=0
    timeout 10 "$d/$name.native" > /dev/null 2>&1 || status=$?
    if [ "$status" -eq 124 ]; then
      echo "| $name | does not end by itself: not measured | | | | |"
      continue
    fi
    $cc $std -O2 -g -pthread -fsanitize=thread "$src" -o "$d/$name.full"
    $cc $std -O2 -g -pthread -fsanitize=thread -fsanitize-ignorelist="$d/$name.focus" "$src" -o "$d/$name.focused"
    races "$d/$name.full.json" "$d/$name.full" > "$d/$name.full.races"
    races "$d/$name.focused.json" "$d/$name.focused" > "$d/$name.focused.races"
    row "$name" "$(median_time "$d/$name.native")" "$(median_time "$d/$name.full")" \
      "$(median_time "$d/$name.focused")" "$(grep -c . "$d/$name.full.races" || true)" \
      "$(found "$d/$name.full.races" "$d/$name.focused.races")"
  done
}

# test/cli/Inputs/focus/counter.cpp: a racy counter beside a hot loop that
# shares nothing (160 million iterations with 8 arguments): the case the
# focus list is made for.
compute() {
  header "A hot loop beside one racy counter (test/cli/Inputs/focus/counter.cpp)"
  local d="$WORK/compute" src="$HERE/../../test/cli/Inputs/focus/counter.cpp"
  mkdir -p "$d"
  "$SNAG" check --no-cache --quiet --write-focus "$d/focus.txt" "$src" -- > /dev/null 2>&1 || true
  $CXX -O2 -g -pthread "$src" -o "$d/native"
  $CXX -O2 -g -pthread -fsanitize=thread "$src" -o "$d/full"
  $CXX -O2 -g -pthread -fsanitize=thread -fsanitize-ignorelist="$d/focus.txt" "$src" -o "$d/focused"
  local args=(a b c d e f g)
  races "$d/full.json" "$d/full" "${args[@]}" > "$d/full.races"
  races "$d/focused.json" "$d/focused" "${args[@]}" > "$d/focused.races"
  row "counter.cpp, 160M iterations" "$(median_time "$d/native" "${args[@]}")" \
    "$(median_time "$d/full" "${args[@]}")" "$(median_time "$d/focused" "${args[@]}")" \
    "$(grep -c . "$d/full.races" || true)" "$(found "$d/full.races" "$d/focused.races")"
}

pigz() {
  header "pigz (-p 4 -b 32: 32 KiB blocks, four compressing threads)"
  local d="$WORK/pigz"
  rm -rf "$d" && mkdir -p "$d" && cp -r "$PIGZ_SRC" "$d/src"
  local srcs=(pigz.c yarn.c try.c zopfli/src/zopfli/{deflate,blocksplitter,tree,lz77,cache,hash,util,squeeze,katajainen,symbols}.c)
  (cd "$d/src" && "$SNAG" check --no-cache --quiet --write-focus "$d/focus.txt" "${srcs[@]}" -- -pthread > "$d/check.log" 2>&1) || true
  for v in native full focused; do
    local flags="-O2 -g"
    [ $v = native ] || flags+=" -fsanitize=thread"
    [ $v = focused ] && flags+=" -fsanitize-ignorelist=$d/focus.txt"
    (cd "$d/src" && $CC $flags -pthread "${srcs[@]}" -o "$d/pigz.$v" -lm -lz)
  done
  # 64 MiB of compressible text: the sources, repeated with line numbers.
  python3 -c "
import sys
text = open('$d/src/pigz.c').read().splitlines()
out = open('$d/input', 'w')
n = 0
while out.tell() < 64 << 20:
    for l in text:
        out.write(f'{n} {l}\n'); n += 1
"
  local cmd=(-p 4 -b 32 -c "$d/input")
  races "$d/full.json" "$d/pigz.full" "${cmd[@]}" > "$d/full.races"
  races "$d/focused.json" "$d/pigz.focused" "${cmd[@]}" > "$d/focused.races"
  row "pigz -p 4 -b 32, 64 MiB" "$(median_time "$d/pigz.native" "${cmd[@]}")" \
    "$(median_time "$d/pigz.full" "${cmd[@]}")" "$(median_time "$d/pigz.focused" "${cmd[@]}")" \
    "$(grep -c . "$d/full.races" || true)" "$(found "$d/full.races" "$d/focused.races")"
  echo
  echo "focus list: $(sed -n 's/.*run under snag run. //p' "$d/focus.txt")"
}

# leveldb_setup: the three build folders of leveldb (tests and db_bench),
# configured, and one focus list for all that is built.
leveldb_setup() {
  LV="$WORK/leveldb"
  [ -d "$LV/src" ] || { mkdir -p "$LV" && cp -r "$LEVELDB_SRC" "$LV/src" && rm -rf "$LV/src"/build*; }
  local common=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=$CC -DCMAKE_CXX_COMPILER=$CXX
    -DLEVELDB_BUILD_TESTS=ON -DLEVELDB_BUILD_BENCHMARKS=ON -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
  cmake -S "$LV/src" -B "$LV/native" "${common[@]}" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g" > /dev/null
  # The focus list of the library, its tests and db_bench (not the other
  # benchmarks, which need SQLite or Kyoto Cabinet).
  [ -f "$LV/focus.txt" ] || "$SNAG" check --no-cache --quiet -p "$LV/native" \
    --exclude='*/benchmarks/db_bench_*' --write-focus "$LV/focus.txt" > "$LV/check.log" 2>&1 || true
  for v in full focused $LEVELDB_EXTRA; do
    local flags="-O2 -g -fsanitize=thread"
    [ $v = full ] || flags+=" -fsanitize-ignorelist=$LV/focus.txt"
    # Extra variants: focused builds with ThreadSanitizer's knobs turned.
    case $v in
      nofuncs) flags+=" -mllvm -tsan-instrument-func-entry-exit=0" ;;
      noatomics) flags+=" -mllvm -tsan-instrument-atomics=0" ;;
    esac
    cmake -S "$LV/src" -B "$LV/$v" "${common[@]}" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" \
      -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread > /dev/null
  done
}

# db_bench, 4 threads.
leveldb() {
  leveldb_setup
  local d=$LV
  header "leveldb 1.23 (db_bench, 4 threads)"
  for v in native full focused $LEVELDB_EXTRA; do
    cmake --build "$d/$v" -j "$JOBS" --target db_bench > "$d/$v.build.log" 2>&1
    rm -rf "$d/db.$v"
  done
  local bench=(--benchmarks=fillrandom,readrandom,readrandom --threads=4 --num=100000)
  races "$d/full.json" "$d/full/db_bench" "${bench[@]}" --db="$d/db.full" > "$d/full.races"
  races "$d/focused.json" "$d/focused/db_bench" "${bench[@]}" --db="$d/db.focused" > "$d/focused.races"
  local native
  native=$(median_time "$d/native/db_bench" "${bench[@]}" --db="$d/db.native")
  row "db_bench ${bench[*]}" "$native" \
    "$(median_time "$d/full/db_bench" "${bench[@]}" --db="$d/db.full")" \
    "$(median_time "$d/focused/db_bench" "${bench[@]}" --db="$d/db.focused")" \
    "$(grep -c . "$d/full.races" || true)" "$(found "$d/full.races" "$d/focused.races")"
  for v in $LEVELDB_EXTRA; do
    local t
    t=$(median_time "$d/$v/db_bench" "${bench[@]}" --db="$d/db.$v")
    printf '| focused, %s | | | %.3f s (%.2fx) | | |\n' "$v" "$t" "$(echo "$t / $native" | bc -l)"
  done
  echo
  echo "focus list: $(sed -n 's/.*run under snag run. //p' "$d/focus.txt")"
}

# The unit tests, all of them, one after the other under ctest.
leveldb_tests() {
  leveldb_setup
  local d=$LV
  header "leveldb 1.23 (the unit tests: ctest, one test at a time)"
  for v in native full focused $LEVELDB_EXTRA; do
    cmake --build "$d/$v" -j "$JOBS" > "$d/$v.build.log" 2>&1
  done
  races "$d/tests-full.json" ctest --test-dir "$d/full" > "$d/tests-full.races"
  races "$d/tests-focused.json" ctest --test-dir "$d/focused" > "$d/tests-focused.races"
  local native
  native=$(median_time ctest --test-dir "$d/native")
  row "ctest ($(ctest --test-dir "$d/native" -N | sed -n 's/^Total Tests: //p') tests)" "$native" \
    "$(median_time ctest --test-dir "$d/full")" \
    "$(median_time ctest --test-dir "$d/focused")" \
    "$(grep -c . "$d/tests-full.races" || true)" "$(found "$d/tests-full.races" "$d/tests-focused.races")"
  for v in $LEVELDB_EXTRA; do
    local t
    t=$(median_time ctest --test-dir "$d/$v")
    printf '| focused, %s | | | %.3f s (%.2fx) | | |\n' "$v" "$t" "$(echo "$t / $native" | bc -l)"
  done
  echo
  echo "focus list: $(sed -n 's/.*run under snag run. //p' "$d/focus.txt")"
}

echo "# bench/focus on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
for what in "${@:-acceptance}"; do
  "$what"
done
