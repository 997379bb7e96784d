#!/bin/sh
# Runs snag's four thread-lifecycle rules (missing-join, leaked-thread,
# dangling-capture, fork-with-threads) on thread-heavy programs from Debian's
# source packages, so that every finding can be read by a person: each false
# alarm becomes a negative lit test and a model fix, each real one goes to
# docs/real-code-lifecycle.md.
#
# Usage: bench/realcode/lifecycle.sh [--fetch-only] [PACKAGE...]
#   PACKAGE  leveldb libzstd xz-utils libuv1 fish (the default: all of them)
#   SNAG     the snag binary (default: build/bin/snag)
#   WORK     where sources are unpacked (default: bench/work/lifecycle)
#   FORMAT   text (default), json or sarif
#   JOBS     snag's -j (default: 2)
# Fetching needs root (or sudo) once, for the deb-src entry and apt-get update.
# fish needs libpcre2-dev and libncurses-dev to configure.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SNAG=${SNAG:-$ROOT/build/bin/snag}
WORK=${WORK:-$ROOT/bench/work/lifecycle}
FORMAT=${FORMAT:-text}
JOBS=${JOBS:-2}
LIFE_FETCH_ONLY=0
if [ "${1:-}" = "--fetch-only" ]; then LIFE_FETCH_ONLY=1; shift; fi
LIFE_PACKAGES=${*:-leveldb libzstd xz-utils libuv1 fish}

# The deb-src entry and fetch() come from the lock rules' harness, which
# reads SNAG, WORK and FORMAT as set above.
SNAG_REALCODE_HELPERS_ONLY=1
set --
. "$HERE/run.sh"

LIFECYCLE_RULES="rules: ['-*', 'missing-join', 'leaked-thread', 'dangling-capture', 'fork-with-threads']"

# A compile_commands.json from "GLOB FLAGS..." lines read on stdin: every
# file that a glob (relative to the folder, ** allowed) matches, compiled with
# that line's flags; a "!GLOB" line drops the files it matches.
write_compile_db_globs() {
  spec=$(cat)
  python3 - "$1" "$spec" <<'PY'
import json, pathlib, shlex, sys
root = pathlib.Path(sys.argv[1]).resolve()
cmds = []
for line in sys.argv[2].splitlines():
    if not line.strip():
        continue
    glob, *flags = shlex.split(line)
    if glob.startswith("!"):
        drop = {str(f) for f in root.glob(glob[1:])}
        cmds = [c for c in cmds if c["file"] not in drop]
        continue
    cc = "c++" if glob.endswith((".cpp", ".cc")) else "cc"
    for f in sorted(root.glob(glob)):
        cmds.append({"directory": str(root), "file": str(f),
                     "arguments": [cc, *flags, "-c", str(f)]})
(root / "compile_commands.json").write_text(json.dumps(cmds, indent=1))
PY
}

# CMake's own compile_commands.json, configured without building.
cmake_db() {
  dir=$1; shift
  [ -f "$dir/build-snag/compile_commands.json" ] ||
    cmake -S "$dir" -B "$dir/build-snag" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
      "$@" >"$dir/build-snag.log" 2>&1
}

# leveldb: C++ with std::thread (the background worker of env_posix.cc) and
# its tests' threads.
prepare_leveldb() {
  dir=$1
  cmake_db "$dir" -DLEVELDB_BUILD_TESTS=OFF -DLEVELDB_BUILD_BENCHMARKS=OFF
  echo "-p $dir/build-snag $dir"
}

# zstd: pthreads behind lib/common/threading.h (the thread pool and the
# multithreaded compressor), the CLI, and pzstd's std::thread pool (C++).
prepare_libzstd() {
  dir=$1
  [ -f "$dir/compile_commands.json" ] || write_compile_db_globs "$dir" <<'DB'
lib/common/*.c -DZSTD_MULTITHREAD -pthread -Ilib -Ilib/common
lib/compress/*.c -DZSTD_MULTITHREAD -pthread -Ilib -Ilib/common
lib/decompress/*.c -DZSTD_MULTITHREAD -pthread -Ilib -Ilib/common
programs/*.c -DZSTD_MULTITHREAD -pthread -Ilib -Ilib/common -Iprograms
examples/streaming_compression_thread_pool.c -pthread -Ilib
tests/poolTests.c -DZSTD_MULTITHREAD -pthread -Ilib -Ilib/common -Iprograms
contrib/pzstd/*.cpp -std=c++14 -pthread -Ilib -Ilib/common -Iprograms -Icontrib/pzstd
contrib/pzstd/utils/test/*.cpp -std=c++14 -pthread -Ilib -Icontrib/pzstd -Icontrib/pzstd/utils/test
DB
  echo "-p $dir $dir"
}

# xz: liblzma's multithreaded coders over mythread.h (pthreads), and xz.
prepare_xz_utils() {
  dir=$1
  if [ ! -f "$dir/compile_commands.json" ]; then
    (cd "$dir" && { [ -f config.h ] || ./configure -q >/dev/null 2>&1; })
    lz="-DHAVE_CONFIG_H -I. -Isrc/common -Isrc/liblzma/api"
    for sub in common check lz rangecoder lzma delta simple; do
      lz="$lz -Isrc/liblzma/$sub"
    done
    write_compile_db_globs "$dir" <<DB
src/liblzma/**/*.c $lz -DTUKLIB_SYMBOL_PREFIX=lzma_
!src/liblzma/check/crc*_small.c
src/xz/*.c -DHAVE_CONFIG_H -DLOCALEDIR=\"/usr/share/locale\" -I. -Isrc/common -Isrc/liblzma/api
DB
  fi
  echo "-p $dir $dir/src"
}

# libuv: uv_thread_* wrappers over pthreads, its thread pool, fork handling,
# and a test suite that starts threads in many ways.
prepare_libuv1() {
  dir=$1
  cmake_db "$dir" -DLIBUV_BUILD_TESTS=ON -DLIBUV_BUILD_BENCH=ON
  echo "-p $dir/build-snag $dir/src $dir/test"
}

# fish: detached pthreads for its I/O thread pool, fork/exec of jobs.
prepare_fish() {
  dir=$1
  cmake_db "$dir" -DFISH_USE_SYSTEM_PCRE2=ON
  # fish starts its detached threads through its own make_detached_pthread().
  cat > "$dir/.snag.yaml" <<YAML
$LIFECYCLE_RULES
threads:
  - {function: make_detached_pthread, entry-arg: 0, instances: many}
YAML
  echo "-p $dir/build-snag $dir/src"
}

# Only the four lifecycle rules, for every file under the work folder (a
# project's own .snag.yaml, nearer to its files, repeats them).
mkdir -p "$WORK"
echo "$LIFECYCLE_RULES" > "$WORK/.snag.yaml"

for pkg in $LIFE_PACKAGES; do
  dir=$(fetch "$pkg")
  args=$("prepare_$(echo "$pkg" | tr - _)" "$dir")
  [ "$LIFE_FETCH_ONLY" = 1 ] && continue
  echo "== $pkg ($dir)"
  # shellcheck disable=SC2086
  "$SNAG" check --no-cache -j "$JOBS" --format "$FORMAT" $args || true
done
