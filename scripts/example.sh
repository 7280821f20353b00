#!/usr/bin/env bash
# The bundled example: the whole loop on real evaluation outputs and real corpus documents (examples/loop.toml,
# data and sources in examples/data/*/SOURCE.md):
#   runaway   BBH, code-davinci-002 chain of thought against a derived candidate that runs on past its answer
#             -> data_ruled_out (cause termination): no plan;
#   counting  MATH, Qwen2.5-Math against a derived candidate weak on counting and probability
#             -> data_ruled_in: mapping, a plan rich in counting and probability mathematics, its sample, and
#             the verification of a derived evaluation after retraining.
# Writes everything under out/example/ (report.html at the top). A second run reuses what is done.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out/example
"${CAPLOOP:-build/caploop}" -q loop examples/loop.toml | tee out/example/summary.txt
