#!/usr/bin/env bash
# Checks that every C++ source follows .clang-format (Debian 12's clang-format 14). With --fix, rewrites them.
# Exit 0 when all are formatted, 1 otherwise (the files that differ are named by clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format="${CLANG_FORMAT:-clang-format}"
# tests/fixtures holds inputs of other tests (their line numbers are asserted): left as they are.
mapfile -t files < <( (git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' 'fuzz/*.cc' 2>/dev/null ||
                        find src tests bench fuzz \( -name '*.cc' -o -name '*.h' \)) | grep -v '^tests/fixtures/')
if [ "${1:-}" = "--fix" ]; then
  "$clang_format" -i --style=file "${files[@]}"
else
  "$clang_format" --dry-run --Werror --style=file "${files[@]}"
fi
