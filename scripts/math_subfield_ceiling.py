#!/usr/bin/python3
"""How far a bag-of-words classifier gets on MATH's subjects: the reference the built-in math_subfield rules
are measured against (docs/corpus.md). Fits on MATH test items with an even idx, scores the odd ones, with
the document as a corpus shows it (problem, blank line, solution) or the problem alone, at MATH's 7 subjects
and with Algebra + Intermediate Algebra (6) and also Prealgebra (5) merged.

Model: TF-IDF over word unigrams and bigrams (lower-cased; LaTeX commands, numbers, words and single symbols
as tokens; sublinear tf; terms in at least 2 documents), multinomial logistic regression (C = 10).
Needs python3-sklearn (apt-get install -y python3-sklearn); not part of the build or the tests.

Usage: scripts/math_subfield_ceiling.py [MATH_TEST_JSONL]
"""
import json
import re
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

DEFAULT = "../shared/data/math/math_full_test/test.jsonl"
TOKEN = re.compile(r"\\[a-z]+|\d+(?:\.\d+)?|[a-z]+|[^\sa-z\d]")
MERGES = {
    "7 subjects": {},
    "6: Algebra + Intermediate Algebra": {"Intermediate Algebra": "Algebra"},
    "5: Algebra + Intermediate Algebra + Prealgebra": {"Intermediate Algebra": "Algebra", "Prealgebra": "Algebra"},
}


def tokens(text):
    return " ".join(TOKEN.findall(text.lower()))


def evaluate(rows, with_solution, merge, show_confusion=False):
    def text(r):
        return tokens(r["problem"] + ("\n\n" + r["solution"] if with_solution else ""))

    def label(r):
        return merge.get(r["type"], r["type"])

    fit = [r for r in rows if r["idx"] % 2 == 0]
    held_out = [r for r in rows if r["idx"] % 2 == 1]
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    model = LogisticRegression(C=10, max_iter=3000)
    model.fit(vectorizer.fit_transform([text(r) for r in fit]), [label(r) for r in fit])
    truth = [label(r) for r in held_out]
    predicted = model.predict(vectorizer.transform([text(r) for r in held_out]))
    labels = sorted(set(truth))
    precision, recall, _, _ = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    print(f"  accuracy {accuracy_score(truth, predicted):.3f} over {len(truth)} held-out items")
    for name, p, r in zip(labels, precision, recall):
        print(f"    {name:24s} precision {p:.3f} recall {r:.3f}")
    if show_confusion:
        short = {"Algebra": "A", "Counting & Probability": "CP", "Geometry": "G", "Intermediate Algebra": "IA",
                 "Number Theory": "NT", "Prealgebra": "PA", "Precalculus": "PC"}
        print("    confusion (rows: MATH type, columns: predicted) " + " ".join(f"{short[n]:>4s}" for n in labels))
        for name, row in zip(labels, confusion_matrix(truth, predicted, labels=labels)):
            print(f"    {short[name]:>4s} " + " ".join(f"{v:4d}" for v in row))


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    print("problem + solution, 7 subjects")
    evaluate(rows, True, MERGES["7 subjects"], show_confusion=True)
    print("problem only, 7 subjects")
    evaluate(rows, False, MERGES["7 subjects"])
    for name, merge in MERGES.items():
        if merge:
            print(f"problem + solution, {name}")
            evaluate(rows, True, merge)


if __name__ == "__main__":
    main()
