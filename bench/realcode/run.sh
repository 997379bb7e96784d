#!/bin/sh
# Runs snag check on real programs from Debian's source packages (pigz,
# memcached), so that every finding of snag's rules can be read by a person:
# each false alarm becomes a negative lit test, each real one goes to
# docs/real-code.md.
#
# Usage: bench/realcode/run.sh [--fetch-only] [PACKAGE...]
#   SNAG     the snag binary (default: build/bin/snag)
#   WORK     where sources are unpacked (default: bench/work/realcode)
#   FORMAT   text (default), json or sarif
# Fetching needs root (or sudo) once, for the deb-src entry and apt-get update.
set -eu
# bench/realcode/lifecycle.sh sources this file for its helpers only.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SNAG=${SNAG:-$ROOT/build/bin/snag}
WORK=${WORK:-$ROOT/bench/work/realcode}
FORMAT=${FORMAT:-text}
FETCH_ONLY=0
if [ "${1:-}" = "--fetch-only" ]; then FETCH_ONLY=1; shift; fi
PACKAGES=${*:-pigz memcached}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian bookworm's source packages, from the same mirrors as the binaries.
ensure_deb_src() {
  list=/etc/apt/sources.list.d/snag-deb-src.sources
  [ -f "$list" ] && return 0
  as_root sh -c "cat > $list" <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  as_root apt-get update -qq
}

# Unpacks PACKAGE under $WORK once; prints its source folder.
fetch() {
  pkg=$1
  mkdir -p "$WORK"
  dir=$(find "$WORK" -maxdepth 1 -type d -name "$pkg-*" | sort | tail -n 1)
  if [ -z "$dir" ]; then
    ensure_deb_src
    (cd "$WORK" && apt-get source -qq --download-only "$pkg" >/dev/null &&
       dpkg-source -x --no-check "$(ls "$pkg"_*.dsc | sort | tail -n 1)" >/dev/null)
    dir=$(find "$WORK" -maxdepth 1 -type d -name "$pkg-*" | sort | tail -n 1)
  fi
  echo "$dir"
}

# A compile_commands.json for the .c files of a folder, all with FLAGS.
write_compile_db() {
  dir=$1; shift
  flags=$*
  python3 - "$dir" "$flags" <<'PY'
import json, pathlib, shlex, sys
root = pathlib.Path(sys.argv[1]).resolve()
flags = shlex.split(sys.argv[2])
cmds = [{"directory": str(root), "file": str(c),
         "arguments": ["cc", *flags, "-c", str(c)]}
        for c in sorted(root.glob("*.c"))]
(root / "compile_commands.json").write_text(json.dumps(cmds, indent=1))
PY
}

prepare_pigz() {
  dir=$1
  # pigz is a handful of .c files built with one set of flags (its Makefile).
  [ -f "$dir/compile_commands.json" ] ||
    write_compile_db "$dir" "-O2 -Wall -Wextra -Wno-unknown-pragmas -I$dir -I$dir/zopfli/src"
  # yarn.c's lock functions: possess() takes, release() and twist() let go.
  [ -f "$dir/.snag.yaml" ] || cat > "$dir/.snag.yaml" <<'YAML'
locks:
  - {function: possess, action: acquire, lock-arg: 0}
  - {function: release, action: release, lock-arg: 0}
  - {function: twist, action: release, lock-arg: 0}
YAML
  echo "$dir/pigz.c $dir/yarn.c"
}

prepare_memcached() {
  dir=$1
  if [ ! -f "$dir/compile_commands.json" ]; then
    # The real flags and the generated config.h come from configure; bear
    # records the compile commands of the real build (libevent headers are
    # needed: apt-get install libevent-dev).
    (cd "$dir" && { [ -f config.h ] || ./configure -q >/dev/null; } &&
       bear -- make -s -j2 memcached >/dev/null 2>&1 || true)
  fi
  echo "$dir"
}

[ -n "${SNAG_REALCODE_HELPERS_ONLY:-}" ] && return 0

for pkg in $PACKAGES; do
  if ! command -v "prepare_$pkg" >/dev/null 2>&1; then
    echo "run.sh: no recipe for '$pkg' (known: pigz memcached)" >&2
    exit 2
  fi
  dir=$(fetch "$pkg")
  if [ -z "$dir" ]; then
    echo "run.sh: could not fetch and unpack $pkg under $WORK" >&2
    exit 1
  fi
  paths=$("prepare_$pkg" "$dir")
  [ "$FETCH_ONLY" = 1 ] && continue
  echo "== $pkg ($dir)"
  # shellcheck disable=SC2086
  "$SNAG" check --no-cache -p "$dir" --format "$FORMAT" $paths || true
done
