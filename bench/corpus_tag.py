#!/usr/bin/env python3
"""Careful plain-Python baseline for `caploop corpus tag`: the same taxonomy with `json` and `re`.

What a competent engineer writes in Python for this taxonomy (the way datatrove's and Dolma's Python taggers
work, done with care): parse each JSON line once; lower-case the text once and split it into words once;
count the words in a dict and look each distinct word up in one keyword table shared by all rules (whole-word
keywords by the word, `prefix*` keywords by the word's prefixes, `\\word` keywords by the words after a
backslash); phrase and symbol keywords by a substring test, then counted with their own compiled regex
(word boundaries) only when present; each rule's regexes as one compiled
alternation; the heuristic metrics computed once from the same words and lines; one attribute line per
document. It reads the same TOML taxonomy as caploop (rules, heuristics, metadata taggers; no fastText) and
writes Dolma-style attribute lines to --out (one file, in input order).

It exists to measure throughput side by side with caploop (scripts/bench_corpus.sh). Its tags follow
caploop's closely but not exactly: a phrase's overlapping occurrences of itself count once (re.findall);
Python's Unicode notions of
letters, digits and white space differ from caploop's byte classes on non-ASCII text.

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
from collections import Counter

STOPWORDS = frozenset({"the", "be", "to", "of", "and", "that", "have", "with"})
TERMINAL = ('.', '!', '?', '"', "'")
WORD_RE = re.compile(r"[a-z0-9]+")               # keyword lookups: runs of ASCII letters and digits
BACKSLASH_WORD_RE = re.compile(r"\\([a-z0-9]+)")  # LaTeX commands: \word
WHOLE_WORD_RE = re.compile(r"\\?[a-z0-9]+")


class KeywordTable:
    """All rules' keywords: whole words and \\words in dicts, prefixes by length, the rest in one regex."""

    def __init__(self):
        self.words = {}       # word -> [(group, weight)]
        self.backslash = {}   # word after a backslash -> [(group, weight)]
        self.prefixes = {}    # prefix -> [(group, weight)]
        self.phrases = {}     # literal -> [(group, weight)]

    def add(self, keyword, group, weight):
        k = keyword.lower()
        if len(k) > 1 and k.endswith("*"):
            self.prefixes.setdefault(k[:-1], []).append((group, weight))
        elif WHOLE_WORD_RE.fullmatch(k):
            table = self.backslash if k.startswith("\\") else self.words
            table.setdefault(k.lstrip("\\"), []).append((group, weight))
        else:
            self.phrases.setdefault(k, []).append((group, weight))

    def build(self):
        self.prefix_lengths = sorted({len(p) for p in self.prefixes})
        # Phrases and symbols: a substring test first (C speed; most are absent from a document), then the
        # phrase's own regex with its word boundaries for the ones present.
        self.phrase_list = []
        for k, entries in self.phrases.items():
            p = re.escape(k)
            if k[:1].isalnum():
                p = r"(?<![a-z0-9])" + p
            if k[-1:].isalnum():
                p += r"(?![a-z0-9])"
            self.phrase_list.append((k, re.compile(p), entries))

    def count(self, lower, counts, weighted):
        def hit(entries, n):
            for g, w in entries:
                counts[g] += n
                weighted[g] += w * n

        words, prefixes, lengths = self.words, self.prefixes, self.prefix_lengths
        for w, n in Counter(WORD_RE.findall(lower)).items():
            e = words.get(w)
            if e:
                hit(e, n)
            for L in lengths:
                if L > len(w):
                    break
                e = prefixes.get(w[:L])
                if e:
                    hit(e, n)
        if self.backslash and "\\" in lower:
            for w, n in Counter(BACKSLASH_WORD_RE.findall(lower)).items():
                e = self.backslash.get(w)
                if e:
                    hit(e, n)
        for k, rx, entries in self.phrase_list:
            if k in lower:
                n = len(rx.findall(lower))
                if n:
                    hit(entries, n)


_COMPILED = {}


def compiled_alternation(regexes):
    """One compiled alternation per distinct regex list (rules sharing patterns share it)."""
    key = tuple(regexes)
    if key not in _COMPILED:
        _COMPILED[key] = re.compile("|".join("(?:%s)" % r.replace(r"\x{00d7}", "\u00d7") for r in regexes),
                                    re.MULTILINE)
    return _COMPILED[key]


class Rule:
    def __init__(self, spec, group, by_tag, keywords):
        self.tag = spec["tag"]
        self.group = group
        src = by_tag[spec["same_patterns_as"]] if "same_patterns_as" in spec else spec
        weights = {k.lower(): w for k, w in src.get("keyword_weights", {}).items()}
        for k in src.get("keywords", []):
            keywords.add(k, group, weights.get(k.lower(), 1.0))
        rxs = src.get("regexes", [])
        self.rx = compiled_alternation(rxs) if rxs else None
        self.weight = spec.get("weight", 1.0)
        self.min_density = spec.get("min_per_1000_words", 0.0)
        self.max_density = spec.get("max_per_1000_words")
        self.min_matches = spec.get("min_matches", 1)
        self.requires = spec.get("requires")

    def score(self, text, counts, weighted, words, regex_counts):
        n, wsum = counts[self.group], weighted[self.group]
        if self.rx:
            r = regex_counts.get(self.rx)
            if r is None:
                r = regex_counts[self.rx] = len(self.rx.findall(text))
            n += r
            wsum += r
        if n < self.min_matches:
            return None
        density = 1000.0 * wsum * self.weight / max(words, 1)
        if density < self.min_density:
            return None
        if self.max_density is not None and density >= self.max_density:
            return None
        return density


def metrics(text):
    words = text.split()
    nw = len(words)
    nonempty = [l for l in text.split("\n") if l.strip()]
    nl = max(len(nonempty), 1)
    stripped_lines = [l.strip() for l in nonempty]
    cp = len(text)
    return {
        "chars": len(text.encode("utf-8")),
        "words": nw,
        "lines": len(nonempty),
        "mean_word_length": (sum(map(len, words)) / nw) if nw else 0.0,
        "symbol_word_ratio": ((text.count("#") + text.count("...") + text.count("\u2026")) / nw) if nw else 0.0,
        "bullet_line_fraction": sum(1 for l in stripped_lines if l.startswith(("-", "*", "\u2022"))) / nl,
        "ellipsis_line_fraction": sum(1 for l in stripped_lines if l.endswith(("...", "\u2026"))) / nl,
        "alpha_word_fraction": (sum(1 for w in words if not w.isdigit() and any(c.isalpha() for c in w)) / nw)
        if nw else 0.0,
        "stopwords": sum(1 for w in words if len(w) <= 4 and w.lower() in STOPWORDS),
        "duplicate_line_fraction": (len(nonempty) - len(set(nonempty))) / nl,
        "terminal_punct_line_fraction": sum(1 for l in stripped_lines if l.endswith(TERMINAL)) / nl,
        "curly_braces": text.count("{") + text.count("}"),
        "digit_fraction": (sum(map(text.count, "0123456789")) / cp) if cp else 0.0,
        "ends_with_terminal_punct": 1.0 if text.rstrip().endswith(TERMINAL) else 0.0,
        "code_points": cp,
    }


OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
       ">=": lambda a, b: a >= b, "==": lambda a, b: a == b}


class Taxonomy:
    def __init__(self, path):
        with open(path, "rb") as f:
            t = tomllib.load(f)
        self.axes = t["axes"]
        specs = t.get("rules", [])
        by_tag = {r["tag"]: r for r in specs}
        self.keywords = KeywordTable()
        self.rules = [Rule(r, i, by_tag, self.keywords) for i, r in enumerate(specs)]
        self.keywords.build()
        self.heuristics = t.get("heuristics", [])
        self.metadata = t.get("metadata", [])
        # Per axis, its taggers in declaration order, decided once instead of per document.
        self.plans = []
        for axis in self.axes:
            prefix = axis["name"] + "."
            self.plans.append((
                axis["name"], bool(axis.get("exclusive")), axis.get("default"),
                [m for m in self.metadata if m["tag"].startswith(prefix)],
                [r for r in self.rules if r.tag.startswith(prefix)],
                [h for h in self.heuristics if h["tag"].startswith(prefix)]))

    def tag(self, doc, text, path):
        counts = [0] * len(self.rules)
        weighted = [0.0] * len(self.rules)
        self.keywords.count(text.lower(), counts, weighted)
        m = metrics(text)
        words = m["words"]
        regex_counts = {}  # per compiled alternation, counted once per document
        assigned = {}
        for name, exclusive, default, metadata, rules, heuristics in self.plans:
            cands = []  # (priority, score, order, tag)
            order = 0
            for md in metadata:
                order += 1
                value = path if md["field"] == "path" else lookup(doc, md["field"])
                if value is None:
                    continue
                value = str(value)
                low = value.lower()
                if value in md.get("equals", []) or any(s.lower() in low for s in md.get("contains", [])):
                    cands.append((3, 1.0, order, md["tag"]))
            for r in rules:
                order += 1
                if r.requires and r.requires not in assigned:
                    continue
                s = r.score(text, counts, weighted, words, regex_counts)
                if s is not None:
                    cands.append((1, s, order, r.tag))
                    if not exclusive:
                        assigned[r.tag] = s
            for h in heuristics:
                order += 1
                ok = all(OPS[op](m[k], v) for k, op, v in h.get("all", []))
                if ok and h.get("any"):
                    ok = any(OPS[op](m[k], v) for k, op, v in h["any"])
                if ok:
                    cands.append((0, 1.0, order, h["tag"]))
            if exclusive:
                if cands:
                    best = min(cands, key=lambda c: (-c[0], -c[1], c[2]))
                    assigned[best[3]] = best[1]
                elif default:
                    assigned[name + "." + default] = 0.0
            else:
                for c in cands:
                    if assigned.get(c[3], -1.0) < c[1]:
                        assigned[c[3]] = c[1]
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
                n += 1
                doc = json.loads(line)
                text = doc.get("text", "")
                tags = tax.tag(doc, text, path)
                end = len(text)
                attrs = {t.replace(".", "__"): [[0, end, round(s, 6)]] for t, s in sorted(tags.items())}
                out.write(json.dumps({"id": doc.get("id", str(n)), "attributes": attrs}) + "\n")
    print(n, file=sys.stderr)


if __name__ == "__main__":
    main()
