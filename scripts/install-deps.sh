#!/usr/bin/env bash
# Installs caploop's build dependencies from Debian 12's packages (run as root); --test adds test-only ones.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  cmake ninja-build g++ pkg-config git python3 zstd
  libsimdjson-dev libcli11-dev libfmt-dev libtomlplusplus-dev libpcre2-dev libzstd-dev libxxhash-dev zlib1g-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev fasttext libfasttext-dev
  libopenmpi-dev openmpi-bin libsentencepiece-dev sentencepiece libhyperscan-dev libmimalloc-dev
)
# --test: also what only the test suite needs (a headless browser for the HTML report test, Boost.Math as an
# independent oracle for the statistics functions, clang-format for the formatting check).
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium libboost-math-dev clang-format)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
