#!/usr/bin/env python3
"""Plain-Python baseline for `caploop corpus tag`: the same taxonomy rules with `json` and `re`.

This is how Python corpus taggers (datatrove, Dolma's Python taggers) work: parse each JSON line, run each
tagger's compiled regular expression over the text, compute heuristic metrics, write an attribute line.
It reads the same TOML taxonomy as caploop (rules, heuristics, metadata taggers; no fastText) and writes
Dolma-style attribute lines to --out (one file, in input order). It exists to measure throughput side by side
with caploop (scripts/bench_corpus.sh); its tags approximate caploop's (keyword overlaps within one rule are
counted once here, once per keyword in caploop).

Usage: corpus_tag.py [--taxonomy FILE] --out FILE INPUT.jsonl[.gz|.zst]...
"""
import argparse
import gzip
import io
import json
import re
import subprocess
import sys
import tomllib

STOPWORDS = {"the", "be", "to", "of", "and", "that", "have", "with"}
TERMINAL = ('.', '!', '?', '"', "'")


def keyword_pattern(k):
    prefix = k.endswith("*")
    if prefix:
        k = k[:-1]
    p = re.escape(k.lower())
    if k[:1].isalnum():
        p = r"(?<![a-z0-9])" + p
    if prefix:
        p += r"[a-z0-9]*"
    elif k[-1:].isalnum():
        p += r"(?![a-z0-9])"
    return p


class Rule:
    def __init__(self, spec, by_tag):
        self.tag = spec["tag"]
        src = by_tag[spec["same_patterns_as"]] if "same_patterns_as" in spec else spec
        kws = src.get("keywords", [])
        self.kw = re.compile("|".join(keyword_pattern(k) for k in kws)) if kws else None
        # keyword_weights (whole-word keywords): the matched text names the keyword.
        self.kw_weights = {k.lower(): w for k, w in src.get("keyword_weights", {}).items()}
        rxs = src.get("regexes", [])
        self.rx = re.compile("|".join("(?:%s)" % r.replace(r"\x{00d7}", "\u00d7") for r in rxs),
                             re.MULTILINE) if rxs else None
        self.weight = spec.get("weight", 1.0)
        self.min_density = spec.get("min_per_1000_words", 0.0)
        self.max_density = spec.get("max_per_1000_words")
        self.min_matches = spec.get("min_matches", 1)
        self.requires = spec.get("requires")

    def score(self, text, lower, words):
        n = 0
        if self.kw:
            if self.kw_weights:
                n += sum(self.kw_weights.get(m.group(0), 1.0) for m in self.kw.finditer(lower))
            else:
                n += sum(1 for _ in self.kw.finditer(lower))
        if self.rx:
            n += sum(1 for _ in self.rx.finditer(text))
        density = 1000.0 * n * self.weight / max(words, 1)
        if n < self.min_matches or density < self.min_density:
            return None
        if self.max_density is not None and density >= self.max_density:
            return None
        return density


def metrics(text):
    lines = text.split("\n")
    words = text.split()
    nw = len(words)
    nonempty = [l for l in lines if l.strip()]
    nl = max(len(nonempty), 1)
    seen, dup = set(), 0
    for l in nonempty:
        if l in seen:
            dup += 1
        seen.add(l)
    stripped = text.rstrip()
    return {
        "chars": len(text.encode("utf-8")),
        "words": nw,
        "lines": len(nonempty),
        "mean_word_length": (sum(len(w) for w in words) / nw) if nw else 0.0,
        "symbol_word_ratio": ((text.count("#") + text.count("...") + text.count("\u2026")) / nw) if nw else 0.0,
        "bullet_line_fraction": sum(1 for l in nonempty if l.lstrip().startswith(("-", "*", "\u2022"))) / nl,
        "ellipsis_line_fraction": sum(1 for l in nonempty if l.rstrip().endswith(("...", "\u2026"))) / nl,
        "alpha_word_fraction": (sum(1 for w in words if any(c.isalpha() for c in w)) / nw) if nw else 0.0,
        "stopwords": sum(1 for w in words if w.lower() in STOPWORDS),
        "duplicate_line_fraction": dup / nl,
        "terminal_punct_line_fraction": sum(1 for l in nonempty if l.rstrip().endswith(TERMINAL)) / nl,
        "curly_braces": text.count("{") + text.count("}"),
        "digit_fraction": (sum(1 for c in text if c.isdigit()) / len(text)) if text else 0.0,
        "ends_with_terminal_punct": 1.0 if stripped.endswith(TERMINAL) else 0.0,
        "code_points": len(text),
    }


OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
       ">=": lambda a, b: a >= b, "==": lambda a, b: a == b}


class Taxonomy:
    def __init__(self, path):
        with open(path, "rb") as f:
            t = tomllib.load(f)
        self.axes = t["axes"]
        by_tag = {r["tag"]: r for r in t.get("rules", [])}
        self.rules = [Rule(r, by_tag) for r in t.get("rules", [])]
        self.heuristics = t.get("heuristics", [])
        self.metadata = t.get("metadata", [])

    def tag(self, doc, text, path):
        lower = text.lower()
        m = metrics(text)
        words = m["words"]
        assigned = []
        for axis in self.axes:
            name = axis["name"]
            cands = []  # (priority, score, order, tag)
            order = 0
            for md in self.metadata:
                if not md["tag"].startswith(name + "."):
                    continue
                value = path if md["field"] == "path" else lookup(doc, md["field"])
                if value is None:
                    continue
                value = str(value)
                if any(s.lower() in value.lower() for s in md.get("contains", [])) or value in md.get("equals", []):
                    cands.append((3, 1.0, order, md["tag"]))
                order += 1
            for r in self.rules:
                if not r.tag.startswith(name + "."):
                    continue
                order += 1
                if r.requires and r.requires not in assigned:
                    continue
                s = r.score(text, lower, words)
                if s is not None:
                    cands.append((1, s, order, r.tag))
                    if not axis.get("exclusive"):
                        assigned.append(r.tag)
            for h in self.heuristics:
                if not h["tag"].startswith(name + "."):
                    continue
                order += 1
                ok = all(OPS[op](m[k], v) for k, op, v in h.get("all", []))
                if h.get("any"):
                    ok = ok and any(OPS[op](m[k], v) for k, op, v in h["any"])
                if ok:
                    cands.append((0, 1.0, order, h["tag"]))
            if axis.get("exclusive"):
                if cands:
                    best = sorted(cands, key=lambda c: (-c[0], -c[1], c[2]))[0]
                    assigned.append(best[3])
                elif axis.get("default"):
                    assigned.append(name + "." + axis["default"])
            else:
                for c in cands:
                    if c[3] not in assigned:
                        assigned.append(c[3])
        return assigned


def lookup(doc, dotted):
    cur = doc
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def open_text(path):
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    if path.endswith(".zst"):
        p = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
        return io.TextIOWrapper(p.stdout, encoding="utf-8")
    return open(path, encoding="utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--taxonomy", default="data/taxonomy/data_taxonomy.toml")
    ap.add_argument("--out", required=True)
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()
    tax = Taxonomy(a.taxonomy)
    n = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for path in a.inputs:
            for line in open_text(path):
                doc = json.loads(line)
                text = doc.get("text", "")
                tags = tax.tag(doc, text, path)
                attrs = {t.replace(".", "__"): [[0, len(text), 1.0]] for t in tags}
                out.write(json.dumps({"id": doc.get("id", n), "attributes": attrs}) + "\n")
                n += 1
    print(n, file=sys.stderr)


if __name__ == "__main__":
    main()
