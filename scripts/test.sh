#!/usr/bin/env bash
# Builds caploop and runs the whole test suite (CTest). Extra arguments go to ctest (e.g. -L eval).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
ctest --output-on-failure -j2 "$@"
