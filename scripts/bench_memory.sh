#!/bin/sh
# Memory benchmark for `caploop corpus tag`: peak resident memory and throughput on corpora of growing size, to
# show that memory stays flat as the corpus grows (it depends on threads and --batch-mb, not on corpus size).
#
# Builds one corpus of the largest size by resampling the real documents of ../shared/data into .jsonl.zst
# shards (scripts/make_bench_corpus.py, fixed seed); the corpus of each smaller size is the leading shards of
# that one (the generator writes the same document stream whatever the total). Each size is tagged with the
# built-in taxonomy under /usr/bin/time -v. Prints, per size: JSONL megabytes, shards, documents, wall seconds,
# MB/s, MB/s per CPU second, and peak RSS. Corpora and outputs are deleted at the end (KEEP=1 keeps them).
#
# Run from the project root after building caploop:
#   scripts/bench_memory.sh BUILD_DIR [SIZE_MB ...]        (default sizes: 1000 4000)
# Environment: THREADS (default 2), SHARD_MB (default 125), BENCH_DIR (default /tmp/caploop-bench-memory).
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
sizes=${*:-1000 4000}
threads=${THREADS:-2}
shard_mb=${SHARD_MB:-125}
work=${BENCH_DIR:-/tmp/caploop-bench-memory}
caploop="$build/caploop"
[ -x "$caploop" ] || { echo "no $caploop: build it first (ninja -C $build caploop)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time in /usr/bin/time (apt-get install -y time)" >&2; exit 2; }

largest=0
for s in $sizes; do [ "$s" -gt "$largest" ] && largest=$s; done
mkdir -p "$work"
echo "disk before (the largest corpus takes about a third of $largest MB compressed, plus its attribute files):"
df -h "$work"
cleanup() { [ "${KEEP:-0}" = 1 ] || { rm -rf "$work/corpus" "$work"/out-* "$work"/time-* "$work"/summary-* "$work"/sizes; rmdir "$work" 2>/dev/null || true; }; }
trap cleanup EXIT

corpus="$work/corpus"
if [ ! -f "$corpus/.complete-$largest-$shard_mb" ]; then
  rm -rf "$corpus"
  python3 scripts/make_bench_corpus.py --out "$corpus" --total-mb "$largest" --shard-mb "$shard_mb"
  touch "$corpus/.complete-$largest-$shard_mb"
fi
# JSONL bytes of each shard (decompressed), once.
: > "$work/sizes"
for f in "$corpus"/shard-*.jsonl.zst; do echo "$(zstd -dc "$f" | wc -c) $f" >> "$work/sizes"; done

printf "%-10s %7s %10s %9s %8s %13s %12s\n" "corpus" "shards" "documents" "wall s" "MB/s" "MB/s per CPU" "peak RSS MB"
for size in $sizes; do
  # The leading shards whose JSONL adds up to at least SIZE_MB.
  set -- $(awk -v want="$size" '{ if (sum < want * 1e6) { sum += $1; n++ } } END { print n, sum }' "$work/sizes")
  n=$1 bytes=$2
  files=$(head -n "$n" "$work/sizes" | cut -d' ' -f2)
  rm -rf "$work/out-$size"
  /usr/bin/time -v -o "$work/time-$size" "$caploop" -q corpus tag --threads "$threads" --out "$work/out-$size" $files \
    > "$work/summary-$size"
  docs=$(sed -n 's/.*documents: \([0-9]*\),.*/\1/p' "$work/summary-$size")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time-$size")
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$work/time-$size")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 / 1024 }' "$work/time-$size")
  echo "$size $n $docs $wall $cpu $rss $bytes" | awk '{ printf "%-10s %7d %10d %9.1f %8.1f %13.1f %12.1f\n", sprintf("%.0f MB", $7 / 1e6), $2, $3, $4, $7 / 1e6 / $4, $7 / 1e6 / $5, $6 }'
  rm -rf "$work/out-$size" "$work/summary-$size"
done
echo "threads: $threads; cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
