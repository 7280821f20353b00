#!/usr/bin/env python3
"""Writes the evaluation-store benchmark folder: the 6,511 real BBH chain-of-thought outputs of code-davinci-002
in lm-evaluation-harness's samples layout, repeated COPIES times as further documents of each task.

Usage: make_lm_eval_bench.py DATA_DIR OUT_DIR [--copies N]     (default 31: 201,841 responses, about 943 MB)

Each task's records are those tests/io/generate_lm_eval_folder.py writes for bbh_cot_fewshot_<task> (real prompt,
prediction, target, filter and per-record metric); copy k of document i gets doc_id k * n_docs + i. Prompts,
documents and targets therefore repeat COPIES times in one run, like a team's evaluation of the same prompts
(bench/ingest_score.py and caploop read the same folder).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "io"))
import generate_lm_eval_folder as lm  # noqa: E402


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    copies = 31
    if "--copies" in sys.argv:
        copies = int(sys.argv[sys.argv.index("--copies") + 1])
        args = [a for a in args if a != str(copies)]
    if len(args) != 2 or copies < 1:
        sys.exit(__doc__)
    data, out = args
    tasks = lm.bbh_cot_tasks(data)
    for t in tasks:
        n_docs = len(t.records)
        original = t.records
        t.records = []
        t.metric_values = {}
        for k in range(copies):
            for r in original:
                copy = dict(r, doc_id=k * n_docs + r["doc_id"])
                t.records.append(copy)
                t.metric_values.setdefault(("exact_match", copy["filter"]), []).append(copy["exact_match"])
    lm.write(out, tasks)


if __name__ == "__main__":
    main()
