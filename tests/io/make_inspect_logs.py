#!/usr/bin/env python3
"""Writes Inspect AI evaluation logs of GSM8K built from real model outputs, for caploop's importer tests.

Provenance: the questions, reference answers and model solutions are OpenAI's GSM8K test set and its
example model solutions (openai/grade-school-math @ 3101c7d5, MIT; ../shared/data/gsm8k/
example_model_solutions.jsonl): four GPT-3 solution sets (6B and 175B, fine-tuned and with a verifier) for
the 1,319 test questions. Each solution ends in a line "A: N"; it is answered here as Inspect's gsm8k task
(inspect_evals/gsm8k) asks, with that line written "ANSWER: N" and nothing else changed, and scored as that
task scores it: inspect_ai's match(numeric=True) (location "end": the last number-like word, "$", "," and
trailing "." stripped, compared as numbers at 5 significant digits), reproduced below from inspect_ai's
scorer/_common.py and _util/text.py. Sample ids are 1-based as Inspect numbers a Hugging Face dataset.

The log layout follows inspect_ai's log/_log.py (EvalLog, EvalSample, ModelOutput, EvalResults) and
log/_recorders/eval.py (the .eval ZIP: header.json, samples/<id>_epoch_<n>.json, summaries.json,
reductions.json). Entries of a .eval are deflate-compressed (Inspect before zstd) or, as newer Inspect writes
them, Zstandard-compressed (ZIP method 93), a large entry in several frames. The four solution sets stand in
for four epochs of one model. Token counts and timings are made up (words, not tokens); everything is
deterministic, so two runs write identical files.

Usage: make_inspect_logs.py DATA_DIR OUT_DIR   (DATA_DIR is ../shared/data)
Writes OUT_DIR/gsm8k_epochs1.json (1 epoch, the 175B verifier's solutions, content parts in messages),
OUT_DIR/gsm8k_epochs4.eval (4 epochs, zstd) and OUT_DIR/gsm8k_epochs1_deflate.eval (first 50 questions,
1 epoch, deflate).
"""
import ctypes
import ctypes.util
import json
import math
import os
import re
import struct
import sys
import zlib

SOLUTION_SETS = ["175b_verification", "175b_finetuning", "6b_verification", "6b_finetuning"]
PROMPT = (
    'Solve the following math problem step by step. The last line of your response should be of the form '
    '"ANSWER: $ANSWER" (without quotes) where $ANSWER is the answer to the problem.\n\n{prompt}\n\n'
    'Remember to put your answer on its own line at the end in the form "ANSWER: $ANSWER" (without quotes) '
    'where $ANSWER is the answer to the problem, and you do not need to use a \\boxed command.\n\nReasoning:'
)
MODEL = "openai/gpt-3-gsm8k-solutions"
CREATED = "2026-01-15T10:00:00+00:00"


# ---- inspect_ai's match(numeric=True), location "end" ----

def strip_numeric_punctuation(s):
    s = re.sub(r"\\([$,£,€*_])", r"\1", s)
    stripped = re.sub(r"[$,£,€,*,_]", "", s)
    return re.sub(r"\.(?=\s|$|\D)", "", stripped)


def parse_number(s):
    try:
        num = float(s)
    except ValueError:
        return None
    return num if math.isfinite(num) else None


def normalize_number(number, precision=5):
    num = parse_number(number)
    return number if num is None else format(num, f".{precision}g")


def match_numeric_end(value, target):
    v = value.strip().casefold()
    t = strip_numeric_punctuation(target.strip().casefold())
    assert parse_number(t) is not None, target
    v = strip_numeric_punctuation(v)
    t = normalize_number(t)
    words = re.split(r"\s+", v)
    words.reverse()
    number = next((w for w in words if parse_number(w) is not None), None)
    answer = normalize_number(number) if number is not None else ""
    return answer, answer == t


# ---- the log ----

def answered(solution):
    lines = solution.rstrip("\n").split("\n")
    if lines[-1].startswith("A: "):
        lines[-1] = "ANSWER: " + lines[-1][3:]
    return "\n".join(lines)


def reference_of(ground_truth):
    # example_model_solutions.jsonl writes the answer line "A: 18" (the GSM8K test set writes "#### 18").
    return ground_truth.rstrip().split("\n")[-1].split(":", 1)[1].strip()


def eval_spec(task_id, epochs, n):
    return {
        "eval_id": f"eval-{task_id}", "run_id": f"run-{task_id}", "created": CREATED, "task": "inspect_evals/gsm8k",
        "task_id": task_id, "task_version": 0, "task_attribs": {}, "task_args": {"fewshot": 0},
        "dataset": {"name": "openai/gsm8k", "location": "openai/gsm8k", "samples": n,
                    "sample_ids": list(range(1, n + 1)), "shuffled": False},
        "model": MODEL, "model_generate_config": {"max_tokens": 512, "temperature": 0.5},
        "model_args": {}, "config": {"epochs": epochs, "epochs_reducer": ["mean"], "fail_on_error": True},
        "packages": {"inspect_ai": "0.3.140"},
    }


def sample(i, epoch, row, solution_set, content_parts):
    question = row["question"]
    target = reference_of(row["ground_truth"])
    completion = answered(row[solution_set]["solution"])
    stop_reason = "stop"
    if epoch == 2 and i % 97 == 0:  # a few responses cut at the length limit, as max_tokens would
        completion = " ".join(completion.split(" ")[:12])
        stop_reason = "max_tokens"
    answer, correct = match_numeric_end(completion, target)
    content = [{"type": "text", "text": completion}] if content_parts else completion
    assistant = {"id": f"m{i}e{epoch}a", "content": content, "source": "generate", "role": "assistant", "model": MODEL}
    words = len(completion.split())
    return {
        "id": i, "epoch": epoch, "input": question, "target": target,
        "messages": [{"id": f"m{i}e{epoch}u", "content": PROMPT.format(prompt=question), "source": "input",
                      "role": "user"}, assistant],
        "output": {"model": MODEL, "choices": [{"message": assistant, "stop_reason": stop_reason}],
                   "completion": completion,
                   "usage": {"input_tokens": 120, "output_tokens": words, "total_tokens": 120 + words},
                   "time": 1.0},
        "scores": {"match": {"value": "C" if correct else "I", "answer": answer, "explanation": completion,
                             "history": []}},
        "metadata": {"reasoning": row["ground_truth"]},
        "store": {}, "events": [], "model_usage": {}, "uuid": f"u{i}-{epoch}", "attachments": {},
    }


def results(samples, epochs):
    by_id = {}
    for s in samples:
        by_id.setdefault(s["id"], []).append(1.0 if s["scores"]["match"]["value"] == "C" else 0.0)
    reduced = [sum(v) / len(v) for v in by_id.values()]  # the "mean" epoch reducer
    n = len(reduced)
    mean = sum(reduced) / n
    std = math.sqrt(sum((x - mean) ** 2 for x in reduced) / (n - 1))
    return {
        "total_samples": n, "completed_samples": n,
        "scores": [{"name": "match", "scorer": "match", "reducer": "mean" if epochs > 1 else None,
                    "scored_samples": n, "unscored_samples": 0, "params": {"location": "end", "numeric": True},
                    "metrics": {"accuracy": {"name": "accuracy", "value": mean, "params": {}},
                                "stderr": {"name": "stderr", "value": std / math.sqrt(n), "params": {}}}}],
    }, reduced


def header(task_id, epochs, samples, n):
    res, _ = results(samples, epochs)
    return {"version": 2, "status": "success", "eval": eval_spec(task_id, epochs, n),
            "plan": {"name": "plan", "steps": [{"solver": "prompt_template", "params": {}},
                                               {"solver": "generate", "params": {}}], "config": {}},
            "results": res,
            "stats": {"started_at": CREATED, "completed_at": CREATED, "model_usage": {}}}


# ---- a ZIP writer that can store Zstandard entries (method 93), as Python 3.14 and zipfile_zstd do ----

_zstd = ctypes.CDLL(ctypes.util.find_library("zstd") or "libzstd.so.1")
_zstd.ZSTD_compressBound.restype = ctypes.c_size_t
_zstd.ZSTD_compressBound.argtypes = [ctypes.c_size_t]
_zstd.ZSTD_compress.restype = ctypes.c_size_t
_zstd.ZSTD_compress.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_zstd.ZSTD_isError.argtypes = [ctypes.c_size_t]


def zstd_frame(data):
    bound = _zstd.ZSTD_compressBound(len(data))
    out = ctypes.create_string_buffer(bound)
    n = _zstd.ZSTD_compress(out, bound, data, len(data), 3)
    assert not _zstd.ZSTD_isError(n)
    return out.raw[:n]


def zstd_frames(data, frame_input=4096):
    # Inspect caps each zstd frame's input (at 200 MiB); small frames here exercise several frames per entry.
    return b"".join(zstd_frame(data[i:i + frame_input]) for i in range(0, max(len(data), 1), frame_input))


def write_zip(path, entries, method):
    """entries: list of (name, bytes). method 8 (deflate) or 93 (zstd)."""
    local, central = bytearray(), bytearray()
    for name, data in entries:
        if method == 8:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = c.compress(data) + c.flush()
        else:
            packed = zstd_frames(data)
        crc = zlib.crc32(data) & 0xFFFFFFFF
        fname = name.encode()
        offset = len(local)
        version = 63 if method == 93 else 20
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, version, 0, method, 0, 0x21, crc, len(packed), len(data),
                             len(fname), 0) + fname + packed
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, version, 0, method, 0, 0x21, crc,
                               len(packed), len(data), len(fname), 0, 0, 0, 0, 0o644 << 16, offset) + fname
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0)
    with open(path, "wb") as f:
        f.write(bytes(local) + bytes(central) + end)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False).encode()


def write_eval(path, task_id, epochs, rows, method):
    samples = [sample(i + 1, e, row, SOLUTION_SETS[e - 1], False)
               for i, row in enumerate(rows) for e in range(1, epochs + 1)]
    head = header(task_id, epochs, samples, len(rows))
    start = {"version": 2, "eval": head["eval"], "plan": head["plan"]}
    _, reduced = results(samples, epochs)
    summaries = [{"id": s["id"], "epoch": s["epoch"], "input": s["input"], "target": s["target"],
                  "scores": s["scores"], "completed": True} for s in samples]
    reductions = [{"scorer": "match", "reducer": "mean",
                   "samples": [{"value": v, "sample_id": i + 1} for i, v in enumerate(reduced)]}]
    # Inspect writes samples as they finish, not in id order: epochs interleaved, ids from the end.
    entries = [("_journal/start.json", dumps(start))]
    entries += [(f"samples/{s['id']}_epoch_{s['epoch']}.json", dumps(s)) for s in reversed(samples)]
    entries += [("summaries.json", dumps(summaries)), ("reductions.json", dumps(reductions)),
                ("header.json", dumps(head))]
    write_zip(path, entries, method)


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(data_dir, "gsm8k", "example_model_solutions.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    samples = [sample(i + 1, 1, row, SOLUTION_SETS[0], True) for i, row in enumerate(rows)]
    log = header("gsm8k-e1", 1, samples, len(rows))
    log["samples"] = samples
    with open(os.path.join(out_dir, "gsm8k_epochs1.json"), "w", encoding="utf-8") as f:
        json.dump(log, f, ensure_ascii=False, indent=2)
    write_eval(os.path.join(out_dir, "gsm8k_epochs4.eval"), "gsm8k-e4", 4, rows, 93)
    write_eval(os.path.join(out_dir, "gsm8k_epochs1_deflate.eval"), "gsm8k-d1", 1, rows[:50], 8)


if __name__ == "__main__":
    main()
