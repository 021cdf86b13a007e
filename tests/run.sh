#!/bin/sh
# The test command: installs what is needed, builds erg and runs every test under CTest.
#   sh tests/run.sh            (BUILD_DIR, default build/)
set -eu
cd "$(dirname "$0")/.."
sh tests/install-packages.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure -j 2 --timeout 600
