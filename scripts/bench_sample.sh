#!/bin/sh
# Plan + sample benchmark: reuses (or builds) the resampled corpus of scripts/bench_corpus.sh, tags it once
# (kept between runs), then bench_plan_sample plans a FRACTION (default 0.1) sample for a counting weakness with
# the real planner and draws it; prints the read limit, planning time, sampling throughput (1 and all threads)
# and peak memory; /usr/bin/time adds the whole process's peak RSS.
# Run from the project root after building caploop and bench_plan_sample:
#   scripts/bench_sample.sh BUILD_DIR [SIZE_MB] [FRACTION]
set -eu
build=${1:-build}
size_mb=${2:-1000}
fraction=${3:-0.1}
work=${BENCH_DIR:-/tmp/caploop-bench-corpus}
corpus="$work/corpus-${size_mb}mb"
tags="$work/tags-${size_mb}mb"
if [ ! -d "$corpus" ]; then
  python3 scripts/make_bench_corpus.py --out "$corpus" --total-mb "$size_mb" --shard-mb 128
fi
start=$(date +%s)
"$build/caploop" -q corpus tag --out "$tags" "$corpus"   # resumes: shards already tagged are skipped
echo "corpus tag (or resume): $(( $(date +%s) - start )) s"
/usr/bin/time -f "process peak RSS: %M KB, wall %e s" \
  "$build/bench/bench_plan_sample" --tags "$tags" --fraction "$fraction" --out "$work/sample" "$corpus"/*.jsonl.zst
