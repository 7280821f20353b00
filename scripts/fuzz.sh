#!/usr/bin/env bash
# Builds every libFuzzer target (fuzz/*_fuzz.cc) with clang, ASan and UBSan in build-fuzz/, seeds a corpus
# for each from small slices of real files in ../shared/data, runs each for SECONDS (default 120) and
# reports crashes. Exit status: 0 when no target found anything, 1 otherwise. See docs/fuzzing.md.
#
# Usage: scripts/fuzz.sh [SECONDS]
# Environment: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_MAX_LEN (default 65536), FUZZ_JOBS (default 2),
#              FUZZ_TARGETS (space-separated names, default all).
set -euo pipefail

seconds="${1:-120}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
max_len="${FUZZ_MAX_LEN:-65536}"
jobs="${FUZZ_JOBS:-2}"
data="$root/../shared/data"

cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCAPLOOP_BUILD_FUZZ=ON -DCAPLOOP_BUILD_TESTS=OFF -DCAPLOOP_BUILD_BENCH=OFF >/dev/null
ninja -C "$build" -j "$jobs" fuzzers

# Seeds: fuzz/<name>.seeds lists files under ../shared/data, one per line as "<path> [bytes|all] [gz|zst]"
# (a path starting with "./" is relative to the project root instead, e.g. ./tests/fixtures/...); each is
# copied whole, or its first <bytes> bytes, into the corpus, compressed when asked (skipped if the gzip/zstd
# tool is missing). Without that file, slices of a few text files.
default_seeds=(
  "corpus/tinyshakespeare/input.txt 4096"
  "gsm8k/test.jsonl 8192"
)

seed_corpus() {
  local name="$1" corpus="$2"
  mkdir -p "$corpus"
  [[ -d "$data" ]] || return 0
  local lines=()
  if [[ -f "$root/fuzz/$name.seeds" ]]; then
    mapfile -t lines < <(grep -v '^[[:space:]]*\(#\|$\)' "$root/fuzz/$name.seeds")
  else
    lines=("${default_seeds[@]}")
  fi
  local i=0 entry path bytes codec
  for entry in "${lines[@]}"; do
    path="" bytes="" codec=""
    read -r path bytes codec <<<"$entry"
    local src="$data/$path"
    [[ "$path" == ./* ]] && src="$root/${path#./}"
    [[ -f "$src" ]] || { echo "fuzz.sh: seed $path not found, skipped" >&2; continue; }
    case "$codec" in
      gz) command -v gzip >/dev/null || continue ;;
      zst) command -v zstd >/dev/null || continue ;;
      "") ;;
      *) echo "fuzz.sh: $name.seeds: unknown compression '$codec', skipped" >&2; continue ;;
    esac
    i=$((i + 1))
    local out="$corpus/seed-$i"
    if [[ -n "$bytes" && "$bytes" != all ]]; then head -c "$bytes" "$src" >"$out"; else cp "$src" "$out"; fi
    case "$codec" in
      gz) gzip -c -n "$out" >"$out.gz" && mv "$out.gz" "$out" ;;
      zst) zstd -q -c "$out" >"$out.zst" && mv "$out.zst" "$out" ;;
    esac
  done
}

found=0
report=()
for src in "$root"/fuzz/*_fuzz.cc; do
  name="$(basename "$src" .cc)"
  if [[ -n "${FUZZ_TARGETS:-}" && " $FUZZ_TARGETS " != *" $name "* ]]; then continue; fi
  exe="$build/fuzz/$name"
  work="$build/fuzz-runs/$name"
  mkdir -p "$work/artifacts"
  seed_corpus "$name" "$work/corpus"
  echo "== $name: ${seconds}s, max_len $max_len, $(ls "$work/corpus" | wc -l) corpus files"
  set +e
  "$exe" "$work/corpus" -max_len="$max_len" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 >"$work/log.txt" 2>&1
  status=$?
  set -e
  artifacts=("$work"/artifacts/*)
  if [[ $status -ne 0 || -e "${artifacts[0]}" ]]; then
    found=1
    report+=("$name: FAILED (exit $status), see $work/log.txt")
    for a in "${artifacts[@]}"; do [[ -e "$a" ]] && report+=("  reproduce: $exe $a"); done
    grep -m 3 -E "ERROR: |runtime error:|==ERROR" "$work/log.txt" | sed 's/^/  /' || true
  else
    runs="$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$work/log.txt" | grep -o '[0-9]*$' || echo "?")"
    report+=("$name: ok, $runs runs, corpus $(ls "$work/corpus" | wc -l) files")
  fi
done

echo "== summary"
printf '%s\n' "${report[@]}"
exit "$found"
