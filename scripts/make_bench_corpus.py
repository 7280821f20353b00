#!/usr/bin/env python3
"""Builds a benchmark corpus by resampling real documents from ../shared/data into .jsonl.zst shards.

Documents: MATH and GSM8K solutions, Shakespeare and WikiText blocks, the Dolma Common Crawl and data-juicer
(RedPajama, Pile, arXiv, StackExchange) samples, drawn with a fixed seed. Each shard is about --shard-mb of
JSONL before compression.

Usage: make_bench_corpus.py --out DIR --total-mb N [--shard-mb M] [--data ../shared/data]
"""
import argparse
import gzip
import json
import os
import random
import subprocess


def blocks(text, n):
    lines = [l for l in text.split("\n") if l.strip()]
    return ["\n".join(lines[i:i + n]) for i in range(0, len(lines), n)]


def load(data):
    docs = []
    for l in open(os.path.join(data, "math/math_full_test/test.jsonl")):
        docs.append({"text": json.loads(l)["solution"], "source": "math"})
    for l in open(os.path.join(data, "gsm8k/train.jsonl")):
        docs.append({"text": json.loads(l)["answer"], "source": "gsm8k"})
    docs += [{"text": b, "source": "books"} for b in blocks(open(os.path.join(data, "corpus/tinyshakespeare/input.txt")).read(), 40)]
    docs += [{"text": b, "source": "wiki"} for b in blocks(open(os.path.join(data, "corpus/wikitext-2/valid.txt")).read(), 8)]
    corpus = os.path.join(data, "corpus")
    for root, _, files in os.walk(corpus):
        for f in files:
            p = os.path.join(root, f)
            if f.endswith(".jsonl"):
                lines = open(p)
            elif f.endswith(".json.gz") and "documents" in root:
                lines = gzip.open(p, "rt")
            else:
                continue
            for l in lines:
                d = json.loads(l)
                docs.append({"text": d["text"], "source": d.get("source") or (d.get("meta") or {}).get("source", "web")})
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--total-mb", type=float, required=True)
    ap.add_argument("--shard-mb", type=float, default=128)
    ap.add_argument("--data", default="../shared/data")
    a = ap.parse_args()
    rng = random.Random(20250101)
    docs = [json.dumps(d, ensure_ascii=False) for d in load(a.data)]
    os.makedirs(a.out, exist_ok=True)
    total, shard = 0, 0
    while total < a.total_mb * 1e6:
        path = os.path.join(a.out, f"shard-{shard:05d}.jsonl.zst")
        z = subprocess.Popen(["zstd", "-q", "-3", "-f", "-o", path], stdin=subprocess.PIPE)
        size, n = 0, 0
        while size < a.shard_mb * 1e6 and total + size < a.total_mb * 1e6:
            chunk = []
            for _ in range(1000):
                line = rng.choice(docs)
                chunk.append(f'{{"id":"{shard}-{n}",' + line[1:])
                n += 1
            data = ("\n".join(chunk) + "\n").encode("utf-8")
            z.stdin.write(data)
            size += len(data)
        z.stdin.close()
        z.wait()
        total += size
        shard += 1
    print(f"{shard} shards, {total / 1e6:.0f} MB JSONL in {a.out}")


if __name__ == "__main__":
    main()
