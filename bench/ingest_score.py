#!/usr/bin/env python3
"""The peer of `caploop ingest` + `caploop summary --rule bbh`: what a competent engineer writes to score an
lm-evaluation-harness folder of BBH chain-of-thought samples, with no storage.

Usage: ingest_score.py FOLDER      prints per-task accuracy (the BBH reference rule) and the overall accuracy

The rule (the BBH paper's published scoring): the text after the LAST "So the answer is " (else the whole
response), white space and one trailing "." stripped, equal to the target (white space stripped).
"""
import json
import os
import sys

PHRASE = "So the answer is "


def bbh_answer(text):
    at = text.rfind(PHRASE)
    answer = (text[at + len(PHRASE):] if at >= 0 else text).strip()
    return answer[:-1] if answer.endswith(".") else answer


def main():
    counts = {}  # task -> [correct, total]
    for root, _, files in os.walk(sys.argv[1]):
        for name in sorted(files):
            if not (name.startswith("samples_") and name.endswith(".jsonl")):
                continue
            task = name[len("samples_"):].rsplit("_", 1)[0]
            c = counts.setdefault(task, [0, 0])
            with open(os.path.join(root, name), encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    for resp in record["resps"]:
                        text = resp[0] if isinstance(resp, list) else resp
                        c[0] += bbh_answer(text) == record["target"].strip()
                        c[1] += 1
    right = total = 0
    for task in sorted(counts):
        r, n = counts[task]
        right, total = right + r, total + n
        print(f"{task}\t{n}\t{r / n:.4f}")
    print(f"all\t{total}\t{right / max(total, 1):.4f}")


if __name__ == "__main__":
    main()
