#!/usr/bin/env bash
# The bundled example: ingests the real BBH outputs of code-davinci-002 (chain of thought and direct answers,
# shipped in examples/data), scores them with the BBH reference rule and prints both summaries.
# Writes everything under out/example/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=out/example
mkdir -p "$out"
db="$out/caploop.db"
rm -f "$db" "$db-wal" "$db-shm"
bin=build/caploop
for variant in cot direct; do
  "$bin" --db "$db" ingest --run "davinci-$variant" --format generic --model code-davinci-002 \
    --benchmark bbh --records /outputs --input /input --response /prediction --target /target \
    --task-from-filename '^(.*)_few_shot_template' examples/data/bbh/code-davinci-002-$variant/*.json.zst
done
"$bin" --db "$db" runs
"$bin" --db "$db" summary --run davinci-cot | tee "$out/summary-cot.txt"
"$bin" --db "$db" summary --run davinci-direct | tee "$out/summary-direct.txt"
"$bin" --db "$db" summary --run davinci-cot --json > "$out/summary-cot.json"
"$bin" --db "$db" summary --run davinci-direct --json > "$out/summary-direct.json"
"$bin" --db "$db" report --run davinci-direct --run davinci-cot --out "$out/report.html" \
  --title "BBH: chain of thought against direct answers (code-davinci-002)"
echo "outputs in $out/ (open $out/report.html in a browser)"
