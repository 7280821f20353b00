#!/usr/bin/env python3
"""Builds the derived and bundled data of the loop example (examples/loop.toml) from the shared real data.

Run once from the project root, with the shared data at ../shared/data and a built caploop (for the item
tags): `python3 scripts/make_example_data.py [--shared ../shared/data] [--caploop build/caploop]`. The outputs
are committed; the example never needs ../shared. Every output is a deterministic function of the inputs.

Writes under examples/data/:
  bbh/code-davinci-002-cot-runaway/<task>_few_shot_template_0-255000.json.zst
      code-davinci-002 CoT as a model whose end-of-sequence loss was masked: after its answer it starts a new
      "Q:" turn with another item's question and reasoning (and a different answer), again and again, cut at
      4,096 bytes. The same derivation as tests/diagnose/bbh_verdicts_test.cc (runaway_prediction).
  math/qwen25math-cot/math_cot_100.jsonl.zst          the real Qwen2.5-Math outputs, unchanged (baseline)
  math/qwen25math-cot-cp-weak/math_cot_100.jsonl.zst  derived: weak on counting and probability
  math/qwen25math-cot-after/math_cot_100.jsonl.zst    derived: "after retraining", those items right again
  corpus/<source>/*.jsonl.zst                          documents {"id", "text", "source", ...}
and a SOURCE.md + LICENSE beside each subset.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ANSWER = "So the answer is "
RUNAWAY_LIMIT = 4096
CP_OPERATIONS = ("counting", "probability")


def zstd_bytes(data):
    return subprocess.run(["zstd", "-19", "-q", "-c", "--no-progress"], input=data, check=True,
                          stdout=subprocess.PIPE).stdout


def write_zst(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(zstd_bytes(text.encode("utf-8")))


def write_jsonl_zst(path, rows):
    write_zst(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def copy_licence(src, dst_dir, name="LICENSE"):
    os.makedirs(dst_dir, exist_ok=True)
    shutil.copyfile(src, os.path.join(dst_dir, name))


# ------------------------------------------------------------------------------------------------- BBH runaway

def last_question(prompt):
    q = prompt.rfind("Q: ")
    text = prompt if q < 0 else prompt[q + 3:]
    cue = text.rfind("\nA:")
    return text if cue < 0 else text[:cue]


def reasoning_of(prediction):
    p = prediction.rfind(ANSWER)
    r = prediction if p < 0 else prediction[:p]
    return r.rstrip(" \n")


def answer_of(prediction):
    # The "bbh" reference rule: the text after the last answer phrase, white space and one trailing "." stripped.
    p = prediction.rfind(ANSWER)
    a = (prediction if p < 0 else prediction[p + len(ANSWER):]).strip()
    return a[:-1] if a.endswith(".") else a


def other_target(targets, avoid, pick):
    others = [t for t in targets if t != avoid]
    return avoid + "0" if not others else others[pick % len(others)]


def runaway_prediction(outputs, questions, targets, position):
    item = outputs[position]
    own = answer_of(item["prediction"])
    text = item["prediction"].encode("utf-8")
    k = 1
    while len(text) < RUNAWAY_LIMIT:
        other = outputs[(position + k) % len(outputs)]
        answer = other_target(targets, own, position + k)
        turn = ("\n\nQ: " + questions[(position + k) % len(outputs)] + "\nA: Let's think step by step.\n" +
                reasoning_of(other["prediction"]) + " " + ANSWER + answer + ".")
        text += turn.encode("utf-8")
        k += 1
    cut = RUNAWAY_LIMIT
    while cut > 0 and cut < len(text) and (text[cut] & 0xC0) == 0x80:  # UTF-8 boundary
        cut -= 1
    return text[:cut].decode("utf-8")


def make_bbh_runaway(shared, out):
    src = os.path.join(shared, "bbh/code-davinci-002-outputs/code-davinci-002-cot")
    dst = os.path.join(out, "bbh/code-davinci-002-cot-runaway")
    names = sorted(n for n in os.listdir(src) if n.endswith("_few_shot_template_0-255000.json"))
    items = 0
    for name in names:
        with open(os.path.join(src, name), encoding="utf-8") as f:
            doc = json.load(f)
        outputs = doc["outputs"]
        questions = [last_question(o["input"]) for o in outputs]
        targets = sorted({o["target"] for o in outputs}, key=lambda t: t.encode("utf-8"))
        derived = []
        for i, o in enumerate(outputs):
            derived.append({"input": o["input"], "target": o["target"],
                            "prediction": runaway_prediction(outputs, questions, targets, i)})
        items += len(derived)
        body = {"canary": doc.get("canary", ""), "outputs": derived}
        write_zst(os.path.join(dst, name + ".zst"), json.dumps(body, ensure_ascii=False, indent=1) + "\n")
    copy_licence(os.path.join(shared, "bbh/LICENSE"), dst)
    write_text(os.path.join(dst, "SOURCE.md"), f"""# Derived: code-davinci-002 CoT as a runaway model (BBH, 27 tasks, {items:,} items)

Derived by scripts/make_example_data.py from the real outputs in
suzgunmirac/BIG-Bench-Hard @ 9ee07bd4, `code-davinci-002-outputs/code-davinci-002-cot/` (MIT, `LICENSE` here,
Copyright (c) 2022 suzgunmirac). Inputs and targets are unchanged. Each prediction is the real one followed,
as by a model whose end-of-sequence loss was masked, by new "Q:" turns: the questions and reasoning of the
task's next items with a different answer of the task, again and again, cut at {RUNAWAY_LIMIT:,} bytes (a fixed
length limit). The same derivation as `runaway_prediction` in tests/diagnose/bbh_verdicts_test.cc.
Every item's first answer is the real one, so first-answer scoring recovers the real accuracy: the loss is a
termination failure, not a knowledge gap.
""")
    return items


# ---------------------------------------------------------------------------------------------------- MATH

def item_operations(caploop, run_file):
    """Operation tags of each item of the Qwen run, by the built-in evaluation taxonomy (caploop tag)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "w.db")
        subprocess.run([caploop, "--db", db, "-q", "ingest", "--run", "qwen", "--format", "generic",
                        "--benchmark", "math", "--id", "/idx", "--input", "/question", "--responses", "/code",
                        "--target", "/gt", "--no-score", run_file], check=True, stdout=subprocess.DEVNULL)
        tags = json.loads(subprocess.run([caploop, "--db", db, "tag", "--json"], check=True,
                                         stdout=subprocess.PIPE).stdout)
    ops = {}
    for item in tags["tagged_items"]:
        ops[int(item["item"].split(":")[1])] = item["tags"].get("operation", [])
    return ops


def last_boxed_span(text):
    """(start, end) of the content of the last \\boxed{...}, or None."""
    start = text.rfind("\\boxed{")
    if start < 0:
        return None
    i = start + len("\\boxed{")
    depth = 1
    j = i
    while j < len(text):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return (i, j)
        j += 1
    return None


def wrong_answer(gt):
    g = gt.strip()
    if re.fullmatch(r"-?\d+", g):
        return str(int(g) + 1)
    return "0" if g not in ("0", "0.0") else "1"


def with_boxed(text, answer):
    span = last_boxed_span(text)
    if span is None:
        return text + "\n\nThe final answer is $\\boxed{" + answer + "}$."
    return text[:span[0]] + answer + text[span[1]:]


def make_math(shared, out, caploop):
    src = os.path.join(shared, "model_outputs/qwen25math_math_cot_100/math_cot_100.jsonl")
    with open(src, encoding="utf-8") as f:
        lines = f.read().splitlines()
    records = [json.loads(l) for l in lines]
    ops = item_operations(caploop, src)
    targets = sorted(r["idx"] for r in records
                     if any(o == p or o.startswith(p + ".") for o in ops[r["idx"]] for p in CP_OPERATIONS))
    math_types = {}
    with open(os.path.join(shared, "math/math_full_test/test.jsonl"), encoding="utf-8") as f:
        for l in f:
            p = json.loads(l)
            math_types.setdefault(p["problem"].strip(), p["type"])
    types = {r["idx"]: math_types.get(r["question"].strip(), "?") for r in records}

    base_dir = os.path.join(out, "math/qwen25math-cot")
    os.makedirs(base_dir, exist_ok=True)
    with open(os.path.join(base_dir, "math_cot_100.jsonl.zst"), "wb") as f:
        f.write(zstd_bytes(("\n".join(lines) + "\n").encode("utf-8")))

    weak, after = [], []
    rewritten = 0
    for r in records:
        w = json.loads(json.dumps(r))
        a = json.loads(json.dumps(r))
        if r["idx"] in targets:
            kept = r["idx"] % len(r["code"])  # one sample of each item keeps its real answer ("most" turn wrong)
            bad = wrong_answer(r["gt"])
            for j in range(len(r["code"])):
                if j != kept:
                    for field in ("code", "response"):
                        w[field][j] = with_boxed(r[field][j], bad)
                    w["pred"][j] = bad
                    w["score"][j] = False
                    rewritten += 1
                if not r["score"][j]:  # after retraining: every sample right
                    for field in ("code", "response"):
                        a[field][j] = with_boxed(r[field][j], r["gt"])
                    a["pred"][j] = r["gt"]
                    a["score"][j] = True
        weak.append(w)
        after.append(a)
    write_jsonl_zst(os.path.join(out, "math/qwen25math-cot-cp-weak/math_cot_100.jsonl.zst"), weak)
    write_jsonl_zst(os.path.join(out, "math/qwen25math-cot-after/math_cot_100.jsonl.zst"), after)
    copy_licence(os.path.join(shared, "model_outputs/qwen25math_math_cot_100/LICENSE"), os.path.join(out, "math"))
    listing = "\n".join(f"| {i} | {', '.join(ops[i])} | {types[i]} |" for i in targets)
    write_text(os.path.join(out, "math/SOURCE.md"), f"""# Qwen2.5-Math on 100 MATH problems: the real outputs and two derived runs

- `qwen25math-cot/math_cot_100.jsonl.zst`: the real outputs (100 MATH problems x 8 sampled generations),
  unchanged, only compressed. Source: QwenLM/Qwen2.5-Math @ a45202bd,
  `evaluation/data/eval_rm_maj_example/math_cot_100.jsonl`. Licence: MIT (`LICENSE` here, Copyright (c) 2024
  Zhibin Gou).
- `qwen25math-cot-cp-weak/`: derived by scripts/make_example_data.py: a candidate weak on counting and
  probability. The {len(targets)} items that caploop's built-in evaluation taxonomy tags with an operation under
  `counting` or `probability` (`caploop tag` on the ingested run) have the final `\\boxed{{...}}` answer of 7 of
  their 8 samples (all but sample idx mod 8) rewritten to a wrong value (an integer answer plus one, otherwise
  0); `pred` and `score` follow. Every other item is unchanged.
- `qwen25math-cot-after/`: derived: the run "after retraining" on the plan's sample: those {len(targets)} items are
  right again in every sample (the real samples, with a wrong final answer replaced by the reference), every
  other item unchanged. {rewritten} samples were rewritten for the weak run.

| idx | operations (built-in taxonomy) | MATH type (looked up by problem text in math_full_test) |
|---|---|---|
{listing}
""")
    return targets, {r["question"].strip() for r in records}


# -------------------------------------------------------------------------------------------------- corpus

def chunk_lines(lines, limit):
    chunk, size = [], 0
    for line in lines:
        chunk.append(line)
        size += len(line) + 1
        if size >= limit and line.strip() == "":
            yield "\n".join(chunk).strip("\n")
            chunk, size = [], 0
    if chunk and "".join(chunk).strip():
        yield "\n".join(chunk).strip("\n")


def wikitext_articles(path):
    title, body, articles = None, [], []
    header = re.compile(r"^ = ([^=].*[^=]) = $")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = header.match(line)
            if m:
                if title is not None:
                    articles.append((title, "\n".join(body).strip()))
                title, body = m.group(1), []
            elif title is not None:
                body.append(line.strip())
    if title is not None:
        articles.append((title, "\n".join(body).strip()))
    return [(t, b) for t, b in articles if b]


def make_corpus(shared, out, evaluated_questions):
    corpus = os.path.join(out, "corpus")
    counts = {}

    # Dolma: Common Crawl documents, unchanged (they carry "id" and "source": "common-crawl").
    dst = os.path.join(corpus, "dolma")
    for name in sorted(os.listdir(os.path.join(shared, "corpus/dolma/multiple_files"))):
        with open(os.path.join(shared, "corpus/dolma/multiple_files", name), encoding="utf-8") as f:
            text = f.read()
        write_zst(os.path.join(dst, name + ".zst"), text)
        counts["dolma"] = counts.get("dolma", 0) + text.count("\n")
    copy_licence(os.path.join(shared, "corpus/dolma/LICENSE"), dst)

    # Data-Juicer demos: RedPajama C4/CC/StackExchange, Pile NIH/USPTO, arXiv, StackExchange ({"text", "meta"?}).
    dst = os.path.join(corpus, "data_juicer")
    for name in sorted(os.listdir(os.path.join(shared, "corpus/data_juicer"))):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(shared, "corpus/data_juicer", name), encoding="utf-8") as f:
            text = f.read()
        write_zst(os.path.join(dst, name + ".zst"), text)
        counts["data_juicer"] = counts.get("data_juicer", 0) + text.count("\n")
    copy_licence(os.path.join(shared, "corpus/data_juicer/LICENSE"), dst)

    # WikiText-2: one document per article.
    dst = os.path.join(corpus, "wikitext-2")
    for split in ("valid", "test"):
        rows = [{"id": f"wikitext-2/{split}/{i}", "text": f"{title}\n\n{body}", "source": "wikipedia"}
                for i, (title, body) in enumerate(wikitext_articles(os.path.join(shared, f"corpus/wikitext-2/{split}.txt")))]
        write_jsonl_zst(os.path.join(dst, f"wikitext-2-{split}.jsonl.zst"), rows)
        counts["wikitext-2"] = counts.get("wikitext-2", 0) + len(rows)
    copy_licence(os.path.join(shared, "corpus/wikitext-2/LICENSE.pytorch-examples"), dst, "LICENSE.pytorch-examples")

    # Tiny Shakespeare: chunks of about 4,000 characters, cut at blank lines (between speeches).
    dst = os.path.join(corpus, "tinyshakespeare")
    with open(os.path.join(shared, "corpus/tinyshakespeare/input.txt"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    chunks = list(chunk_lines(lines, 4000))
    half = (len(chunks) + 1) // 2
    for part, rows in enumerate((chunks[:half], chunks[half:])):
        write_jsonl_zst(os.path.join(dst, f"tinyshakespeare-{part:02d}.jsonl.zst"),
                        [{"id": f"tinyshakespeare/{part * half + i}", "text": t, "source": "shakespeare"}
                         for i, t in enumerate(rows)])
    counts["tinyshakespeare"] = len(chunks)
    write_text(os.path.join(dst, "SOURCE.md"), "Tiny Shakespeare (karpathy/char-rnn @ 6f9487a6, "
               "`data/tinyshakespeare/input.txt`): Shakespeare's plays, public domain text; here cut into chunks of "
               "about 4,000 characters between speeches. See ../SOURCE.md.\n")

    # MATH test problems with their worked solutions, without the 100 problems the Qwen run evaluates.
    dst = os.path.join(corpus, "math")
    rows, excluded = [], 0
    with open(os.path.join(shared, "math/math_full_test/test.jsonl"), encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            if p["problem"].strip() in evaluated_questions:
                excluded += 1
                continue
            rows.append({"id": f"math/test/{p['idx']}", "text": p["problem"].strip() + "\n\n" + p["solution"].strip(),
                         "source": "math", "type": p["type"], "level": p["level"]})
    for shard in range(4):
        write_jsonl_zst(os.path.join(dst, f"math-solutions-{shard:02d}.jsonl.zst"), rows[shard::4])
    counts["math"] = len(rows)
    counts["math_excluded"] = excluded
    copy_licence(os.path.join(shared, "math/LICENSE.math-evaluation-harness"), dst)

    # GSM8K train: question and worked answer ("#### N").
    dst = os.path.join(corpus, "gsm8k")
    with open(os.path.join(shared, "gsm8k/train.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(l) for l in f]
    rows = [{"id": f"gsm8k/train/{i}", "text": r["question"].strip() + "\n\n" + r["answer"].strip(), "source": "gsm8k"}
            for i, r in enumerate(rows)]
    for shard in range(2):
        write_jsonl_zst(os.path.join(dst, f"gsm8k-train-{shard:02d}.jsonl.zst"), rows[shard::2])
    counts["gsm8k"] = len(rows)
    copy_licence(os.path.join(shared, "gsm8k/LICENSE"), dst)

    write_text(os.path.join(corpus, "SOURCE.md"), f"""# Corpus documents of the loop example

Real public documents, converted by scripts/make_example_data.py to JSON Lines (zstd), one folder per source,
its licence beside it. caploop's built-in data taxonomy assigns the `source` axis from the path (`wiki`,
`shakespeare`, `/math/`, `gsm8k`, `arxiv`, `stackexchange`, `nih`, `uspto`, `c4`, `cc_en`) or the `source` field.

| folder | documents | source (repository @ commit, path) | licence |
|---|---|---|---|
| `dolma/` | {counts['dolma']:,} Common Crawl documents, unchanged | allenai/dolma @ 669f5348, `tests/data/multiple_files/` | Apache-2.0 (`dolma/LICENSE`) |
| `data_juicer/` | {counts['data_juicer']:,} RedPajama (C4, CC, StackExchange), Pile (NIH, USPTO), arXiv and StackExchange documents, unchanged | modelscope/data-juicer @ c07c2d79, `demos/` | Apache-2.0 (`data_juicer/LICENSE`) |
| `wikitext-2/` | {counts['wikitext-2']:,} WikiText-2 raw articles (valid and test splits), one document per ` = Title = ` article | pytorch/examples @ 77f55b91 (WikiText-2 raw) | text CC BY-SA 3.0; repository BSD-3-Clause (`wikitext-2/LICENSE.pytorch-examples`) |
| `tinyshakespeare/` | {counts['tinyshakespeare']:,} chunks of about 4,000 characters of the plays, cut between speeches | karpathy/char-rnn @ 6f9487a6, `data/tinyshakespeare/input.txt` | public domain text |
| `math/` | {counts['math']:,} MATH test problems with their worked solutions (problem, blank line, solution), 4 shards | Zhuofeng-Li/math-evaluation-harness @ 1b9885d8, `data/math/test.jsonl` | MIT (`math/LICENSE`) |
| `gsm8k/` | {counts['gsm8k']:,} GSM8K train questions with their worked answers, 2 shards | openai/grade-school-math @ 3101c7d5, `grade_school_math/data/train.jsonl` | MIT (`gsm8k/LICENSE`) |

Decontamination: the {counts['math_excluded']} MATH problems that the example's Qwen2.5-Math run evaluates (matched by
problem text) are left out of `math/`, so a sample drawn from this corpus never contains an evaluated problem or
its solution.
""")
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--caploop", default="build/caploop")
    ap.add_argument("--out", default="examples/data")
    a = ap.parse_args()
    if not os.path.isdir(a.shared):
        sys.exit(f"no shared data at {a.shared}")
    if not os.access(a.caploop, os.X_OK):
        sys.exit(f"no caploop binary at {a.caploop} (build first, or pass --caploop)")
    items = make_bbh_runaway(a.shared, a.out)
    targets, evaluated = make_math(a.shared, a.out, a.caploop)
    counts = make_corpus(a.shared, a.out, evaluated)
    print(f"bbh runaway: {items} items; math: {len(targets)} counting/probability items {targets}; corpus: {counts}")


if __name__ == "__main__":
    main()
