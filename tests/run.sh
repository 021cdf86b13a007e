#!/bin/sh
# The test command: installs what is needed, builds erg and runs every test under CTest.
#   sh tests/run.sh            (BUILD_DIR, default build/; CMAKE_ARGS; CTEST_ARGS, e.g. -E NAME)
set -eu
cd "$(dirname "$0")/.."
sh tests/install-packages.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(nproc)"
cd "$build"
# shellcheck disable=SC2086
ctest --output-on-failure -j 2 --timeout 600 ${CTEST_ARGS:-}
