#!/bin/sh
# Corpus tagging benchmark: builds a corpus of SIZE_MB (default 1000) by resampling real documents into
# .jsonl.zst shards, then prints, side by side, the read limit, caploop's tagging throughput (1 thread and all
# threads) and the careful plain-Python tagger (bench/corpus_tag.py: json + re, words counted once, keywords
# looked up in a dict, same taxonomy) on a PY_MB slice, and the ratio of caploop (1 thread) to it per CPU second;
# then the floor of any per-document path on the same shards (bench/corpus_floor.cc: On-Demand parse, every word
# looked up, an attribute line; nothing else), as a share of the read limit.
# Run from the project root after building bench_corpus_tag:  scripts/bench_corpus.sh BUILD_DIR [SIZE_MB] [PY_MB]
set -eu
build=${1:-build}
size_mb=${2:-1000}
py_mb=${3:-20}
work=${BENCH_DIR:-/tmp/caploop-bench-corpus}
corpus="$work/corpus-${size_mb}mb"
if [ ! -d "$corpus" ]; then
  python3 scripts/make_bench_corpus.py --out "$corpus" --total-mb "$size_mb" --shard-mb 128
fi
shards=${SHARDS:-$(ls "$corpus"/*.jsonl.zst)}
"$build/bench/bench_corpus_tag" --out "$work/out" $shards | tee "$work/bench.txt"

# Python baseline on the first PY_MB of the first shard (same rules, json + re, one process).
zstd -dc "$(ls "$corpus"/*.jsonl.zst | head -1)" | head -c $((py_mb * 1000000)) | sed '$d' > "$work/py-slice.jsonl"
bytes=$(wc -c < "$work/py-slice.jsonl")
/usr/bin/time -f "%e %U %S" -o "$work/py-time" python3 bench/corpus_tag.py --out "$work/py-attrs.jsonl" "$work/py-slice.jsonl" 2>/dev/null
read wall user sys < "$work/py-time"
echo "$bytes $wall $user $sys" | awk '{ c = $3 + $4; printf "%-42s %8.2f %10.2f %8.2f %16.2f\n", "careful python (json + re + dict), 1 proc", $2, $1 / 1e6 / $2, c, $1 / 1e6 / c }' | tee -a "$work/bench.txt"
awk '/corpus tag, 1 thread/ { c = $NF } /careful python/ { p = $NF } END { if (p > 0) printf "caploop (1 thread) / careful python, per CPU second: %.1fx\n", c / p }' "$work/bench.txt"
if [ -x "$build/bench/bench_corpus_floor" ]; then
  "$build/bench/bench_corpus_floor" $shards | tee -a "$work/bench.txt"
fi
