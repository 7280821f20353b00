#!/bin/sh
# Evaluation-store benchmark (issue #14 item 1): caploop against a plain Python script on the same lm-eval folder.
#
# Builds (once) the benchmark folder with bench/make_lm_eval_bench.py: the 6,511 real BBH chain-of-thought outputs
# of code-davinci-002 in lm-evaluation-harness's samples layout, repeated COPIES (31) times: 201,841 responses.
# Then prints, in one run:
#   1. `caploop ingest --run R --format lm-eval DIR` + `caploop summary --run R --rule bbh --json`, wall and CPU
#      seconds, next to bench/ingest_score.py (json + the BBH rule, no storage) on the same folder;
#   2. workspace bytes / input bytes after that run, and what a second run over the same prompts adds;
#   3. `caploop diagnose` of the two runs: wall seconds and peak resident memory;
#   4. the workspace bytes per input byte of one copy of the folder (6,511 responses: no repeated prompts).
# Run from the project root after building caploop:   scripts/bench_store.sh BUILD_DIR
# Environment: COPIES (default 31), BENCH_DIR (default /tmp/caploop-bench-store; the folder is kept for reuse,
# the workspaces are deleted), DATA (default ../shared/data).
set -eu
build=${1:-build}
caploop="$build/caploop"
copies=${COPIES:-31}
work=${BENCH_DIR:-/tmp/caploop-bench-store}
data=${DATA:-../shared/data}
[ -x "$caploop" ] || { echo "no $caploop: build it first (ninja -C $build caploop)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time in /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
mkdir -p "$work"
folder="$work/lm-eval-$copies"
if [ ! -f "$folder/.complete" ]; then
  rm -rf "$folder"
  python3 bench/make_lm_eval_bench.py "$data" "$folder" --copies "$copies"
  touch "$folder/.complete"
fi
one="$work/lm-eval-1"
if [ ! -f "$one/.complete" ]; then
  rm -rf "$one"
  python3 bench/make_lm_eval_bench.py "$data" "$one" --copies 1
  touch "$one/.complete"
fi
ws="$work/ws.db"
cleanup() { rm -f "$ws" "$ws-wal" "$ws-shm" "$work/ws1.db" "$work/ws1.db-wal" "$work/ws1.db-shm" "$work"/time-* "$work"/out-*; }
trap cleanup EXIT
cleanup

# Files are read once before timing, so every program starts from the page cache.
cat "$folder"/*/* > /dev/null
input=$(du -sb --exclude=.complete "$folder" | cut -f1)
size() { s=0; for f in "$@"; do [ -f "$f" ] && s=$((s + $(stat -c %s "$f"))); done; echo $s; }
timed() {  # name command...: runs under GNU time, keeps "wall user sys maxrss_kb"
  name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time-$name" "$@" > "$work/out-$name"
}
field() { cut -d' ' -f"$2" "$work/time-$1"; }
cpu() { echo "$(field "$1" 2) + $(field "$1" 3)" | bc; }

timed python python3 bench/ingest_score.py "$folder"
timed ingest "$caploop" -q --db "$ws" ingest --run R1 --format lm-eval "$folder"
timed summary "$caploop" -q --db "$ws" summary --run R1 --rule bbh --json
first=$(size "$ws" "$ws-wal")
timed ingest2 "$caploop" -q --db "$ws" ingest --run R2 --format lm-eval "$folder"
second=$(size "$ws" "$ws-wal")
timed diagnose "$caploop" -q --db "$ws" diagnose --baseline R1 --candidate R2 --json
ws1="$work/ws1.db"
"$caploop" -q --db "$ws1" ingest --run R1 --format lm-eval "$one" > /dev/null
one_input=$(du -sb --exclude=.complete "$one" | cut -f1)
one_size=$(size "$ws1" "$ws1-wal")

responses=$(tail -1 "$work/out-python" | cut -f2)
echo "evaluation store benchmark: $responses responses, $input input bytes ($folder), $(nproc) cores"
echo "$(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-44s %8s %8s %10s\n' "step" "wall s" "cpu s" "peak MB"
for n in python ingest summary ingest2 diagnose; do
  printf '%-44s %8s %8s %10s\n' "$n" "$(field $n 1)" "$(cpu $n)" "$(($(field $n 4) / 1024))"
done
echo "caploop ingest + summary: $(echo "$(field ingest 1) + $(field summary 1)" | bc) s wall, $(echo "$(cpu ingest) + $(cpu summary)" | bc) s cpu; python $(field python 1) s wall, $(cpu python) s cpu"
echo "workspace after one run: $first bytes = $(echo "scale=3; $first / $input" | bc) x input"
echo "second run over the same prompts adds: $((second - first)) bytes = $(echo "scale=3; ($second - $first) / $input" | bc) x its input"
echo "one copy ($one_input input bytes, no repeated prompts): workspace $one_size bytes = $(echo "scale=3; $one_size / $one_input" | bc) x input"
if ! cmp -s "$work/out-python" /dev/null; then
  python_all=$(tail -1 "$work/out-python" | cut -f3)
  echo "python overall accuracy: $python_all"
fi
