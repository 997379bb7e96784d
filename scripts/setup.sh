#!/usr/bin/env bash
# Installs what snag needs from Debian's packages and builds it into build/.
# Idempotent: quick when everything is already there. Run as root (or with
# sudo available) on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  clang-19 llvm-19-dev libclang-19-dev llvm-19-tools libclang-rt-19-dev
  cmake ninja-build python3 g++ make
  libgtest-dev
  # Headless Chromium for the HTML report's browser test (test/cli/html-browser.test
  # is skipped without it): about 120 MB, one minute on a fresh machine.
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 >/dev/null
fi
cmake --build "$BUILD_DIR" -j "$(nproc)"
