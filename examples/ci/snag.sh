#!/bin/sh
# ci/snag.sh: build, snag check, the tests under snag run, one report.
set -u
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON || exit 2
cmake --build build || exit 2
status=0
snag check -p build --format sarif -o snag-check.sarif || status=$?
snag run --format sarif -o snag-run.sarif -- ctest --test-dir build --output-on-failure || status=$?
snag report --format text snag-check.sarif snag-run.sarif
snag report snag-check.sarif snag-run.sarif -o snag-report.html || exit 2
echo "snag: report in snag-report.html"
exit "$status"
