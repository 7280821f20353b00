#!/usr/bin/env python3
"""Fits the math_subfield keyword weights of data/taxonomy/data_taxonomy.toml on MATH (even idx only).

The rules score a document per subfield as 1000 x (sum of keyword weights over keyword matches) / words and the
exclusive axis takes the highest score, which is a linear classifier over keyword densities. This script fits
that classifier by multinomial logistic regression (L2, Adagrad, fixed seed) on the MATH test items with an even
`idx` (problem + solution text, MATH's `type` as label), choosing the L2 strength on a split of those items, then
shifts each keyword's weights so the smallest is 0 (which leaves every argmax unchanged), keeps the largest
weights per subfield, and rewrites the block between the "fitted math_subfield rules" markers of the taxonomy.
Keywords follow caploop's keyword semantics (whole alphanumeric words, case-insensitive; "\\word" for LaTeX
commands). Items with an odd idx, and MATH-500 items not among the even ones, are never seen; the script prints
accuracy on them. Run from the project root, then rebuild (the build embeds data/taxonomy/data_taxonomy.toml).

Usage: fit_math_subfield.py [--data ../shared/data] [--taxonomy data/taxonomy/data_taxonomy.toml]
"""
import argparse
import collections
import json
import math
import os
import random
import re

SUBFIELDS = {"Algebra": "algebra", "Counting & Probability": "counting_probability", "Geometry": "geometry",
             "Intermediate Algebra": "intermediate_algebra", "Number Theory": "number_theory",
             "Prealgebra": "prealgebra", "Precalculus": "precalculus"}
RUN = re.compile(r"(\\?)([a-z0-9]+)")
BEGIN = "# --- fitted math_subfield rules (scripts/fit_math_subfield.py) ---"
END = "# --- end of fitted math_subfield rules ---"


def features(text):
    """Keyword densities per 1000 words, as caploop's keyword matcher counts them."""
    lower = text.lower()
    words = max(len(text.split()), 1)
    c = collections.Counter()
    for backslash, run in RUN.findall(lower):
        if run.isdigit():
            continue
        c[run] += 1  # a whole-word keyword also matches after a backslash
        if backslash:
            c["\\" + run] += 1
    return {k: 1000.0 * v / words for k, v in c.items()}


def general_density(data):
    """Keyword densities per 1000 words in general (non-math) text: WikiText and Common Crawl samples."""
    texts = [open(os.path.join(data, "corpus/wikitext-2/valid.txt"), encoding="utf-8").read()]
    for name in ["corpus/dolma/multiple_files/cc_en_head-0091.jsonl", "corpus/dolma/multiple_files/cc_en_head-0174.jsonl",
                 "corpus/data_juicer/redpajama-c4-refined.jsonl", "corpus/data_juicer/redpajama-cc-2023-06-refined.jsonl"]:
        texts += [json.loads(l)["text"] for l in open(os.path.join(data, name), encoding="utf-8")]
    return features("\n".join(texts))


def load(path, label_field):
    items = []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        items.append((d["problem"] + "\n\n" + d["solution"], SUBFIELDS[d[label_field]], d.get("idx"), d["problem"]))
    return items


def fit(data, classes, lam, epochs, seed=1):
    w = {c: collections.defaultdict(float) for c in classes}
    g2 = {c: collections.defaultdict(lambda: 1e-6) for c in classes}
    data = list(data)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(data)
        for f, y in data:
            s = {c: sum(w[c].get(k, 0.0) * v for k, v in f.items()) for c in classes}
            m = max(s.values())
            z = sum(math.exp(v - m) for v in s.values())
            for c in classes:
                g = math.exp(s[c] - m) / z - (1.0 if c == y else 0.0)
                for k, v in f.items():
                    grad = g * v / 100.0 + lam * w[c][k]
                    g2[c][k] += grad * grad
                    w[c][k] -= 0.05 * grad / math.sqrt(g2[c][k])
    return w


def predict(w, classes, f):
    s = {c: sum(w[c].get(k, 0.0) * v for k, v in f.items()) for c in classes}
    return max(classes, key=lambda c: (s[c], -classes.index(c)))


def report(name, w, classes, data):
    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    for f, y in data:
        p = predict(w, classes, f)
        if p == y:
            tp[y] += 1
        else:
            fp[p] += 1
            fn[y] += 1
    acc = sum(tp.values()) / len(data)
    print(f"{name}: accuracy {acc:.3f} over {len(data)}")
    for c in classes:
        print(f"  {c:<22} precision {tp[c] / max(tp[c] + fp[c], 1):.3f} recall {tp[c] / max(tp[c] + fn[c], 1):.3f}")
    return acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--taxonomy", default="data/taxonomy/data_taxonomy.toml")
    ap.add_argument("--keep", type=int, default=300, help="keywords kept (over all subfields)")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--max-general", type=float, default=float("inf"),
                    help="leave out keywords more frequent than this per 1000 words of general web text (0.5 "
                         "costs 3 points of held-out accuracy; off by default)")
    a = ap.parse_args()
    full = load(os.path.join(a.data, "math/math_full_test/test.jsonl"), "type")
    m500 = load(os.path.join(a.data, "math/math500/test.jsonl"), "subject")
    even = [(features(t), y) for t, y, i, _ in full if i % 2 == 0]
    even_idx = [i for _, _, i, _ in full if i % 2 == 0]
    odd = [(features(t), y) for t, y, i, _ in full if i % 2 == 1]
    seen = {p for _, _, i, p in full if i % 2 == 0}
    m500_held = [(features(t), y) for t, y, _, p in m500 if p not in seen]
    classes = sorted(set(SUBFIELDS.values()))
    # Vocabulary: keywords in at least 5 even items and at most half of them, and rare in general text.
    df = collections.Counter(k for f, _ in even for k in f)
    general = general_density(a.data)
    vocab = {k for k, n in df.items() if 5 <= n <= len(even) // 2 and general.get(k, 0.0) <= a.max_general}
    restrict = lambda data: [({k: v for k, v in f.items() if k in vocab}, y) for f, y in data]
    even, odd, m500_held = restrict(even), restrict(odd), restrict(m500_held)
    # L2 strength chosen on the even items: fit on idx % 4 == 0, validate on idx % 4 == 2.
    inner_train = [d for d, i in zip(even, even_idx) if i % 4 == 0]
    inner_val = [d for d, i in zip(even, even_idx) if i % 4 == 2]
    best = None
    for lam in (0.001, 0.01, 0.03):
        w = fit(inner_train, classes, lam, a.epochs)
        acc = sum(predict(w, classes, f) == y for f, y in inner_val) / len(inner_val)
        print(f"L2 {lam}: validation accuracy {acc:.3f}")
        if best is None or acc > best[1]:
            best = (lam, acc)
    # Keep the keywords whose weights differ most between subfields (spread x mean density), refit on them.
    w = fit(even, classes, best[0], a.epochs)
    mean_density = collections.Counter()
    for f, _ in even:
        for k, v in f.items():
            mean_density[k] += v / len(even)
    spread = {k: (max(w[c].get(k, 0.0) for c in classes) - min(w[c].get(k, 0.0) for c in classes)) * mean_density[k]
              for k in vocab}
    chosen = set(sorted(vocab, key=lambda k: (-spread[k], k))[: a.keep])
    restrict_to = lambda data: [({k: v for k, v in f.items() if k in chosen}, y) for f, y in data]
    even, odd, m500_held = restrict_to(even), restrict_to(odd), restrict_to(m500_held)
    w = fit(even, classes, best[0], a.epochs)
    # Shift each keyword's weights so the smallest is 0: every subfield's score drops by the same amount, so the
    # highest score stays the highest. Weights are rounded to 3 decimals for the file.
    kept = {c: {} for c in classes}
    for k in chosen:
        low = min(w[c].get(k, 0.0) for c in classes)
        for c in classes:
            v = round(w[c].get(k, 0.0) - low, 3)
            if v > 0:
                kept[c][k] = v
    report("even items (fitted on)", kept, classes, even)
    report("odd items (held out)", kept, classes, odd)
    report("MATH-500 items not among the even ones (held out)", kept, classes, m500_held)
    # Rules text.
    lines = [BEGIN,
             f"# Logistic regression on MATH test items with even idx (L2 {best[0]}, {a.epochs} epochs) over the {a.keep}",
             "# most discriminative keywords; weights are per keyword match and the highest total density wins."]
    order = ["number_theory", "counting_probability", "geometry", "precalculus", "intermediate_algebra",
             "algebra", "prealgebra"]
    for c in order:
        kws = sorted(kept[c], key=lambda k: (-kept[c][k], k))
        lines.append("")
        lines.append("[[rules]]")
        lines.append(f'tag = "math_subfield.{c}"')
        lines.append('requires = "capability.math"')
        lines.append("keywords = [" + ", ".join(json.dumps(k) for k in kws) + "]")
        lines.append("keyword_weights = { " + ", ".join(f"{json.dumps(k)} = {kept[c][k]}" for k in kws) + " }")
        lines.append("min_per_1000_words = 0")
        lines.append("min_matches = 1")
    lines.append(END)
    block = "\n".join(lines)
    text = open(a.taxonomy, encoding="utf-8").read()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    open(a.taxonomy, "w", encoding="utf-8").write(text[:start] + block + text[end:])
    print(f"rewrote the fitted block of {a.taxonomy}")


if __name__ == "__main__":
    main()
