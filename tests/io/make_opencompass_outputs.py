#!/usr/bin/env python3
"""Writes an OpenCompass work folder for GSM8K built from real model outputs, for caploop's importer tests.

Provenance: questions, references and model solutions are OpenAI's GSM8K test set and its example model
solutions (openai/grade-school-math @ 3101c7d5, MIT; ../shared/data/gsm8k/example_model_solutions.jsonl).
The layout is OpenCompass's (open-compass/opencompass: utils/abbr.py get_infer_output_path,
partitioners/size.py, tasks/openicl_eval.py): outputs/<config>/<timestamp>/predictions/<model>/<dataset>.json,
split by the SizePartitioner into <dataset>_0.json, <dataset>_1.json, ... whose keys each restart at "0"
(OpenCompass concatenates the parts in order to evaluate), and results/<model>/<dataset>.json with the
evaluator's "accuracy" (percent) and, as --dump-eval-details writes it, per-item "details" with "correct".
Scoring reproduces OpenCompass's gsm8k_postprocess (the last number before any "Question:") and
Gsm8kEvaluator.is_equal (datasets/gsm8k.py). The 175B verifier's solutions are the predictions of model
"gpt-3-175b"; an older timestamp folder (first 100 questions, the 6B fine-tuned solutions) and a second model
folder test which run and model are picked. Deterministic.

Usage: make_opencompass_outputs.py DATA_DIR OUT_DIR   (writes OUT_DIR/outputs/gsm8k_eval/...)
"""
import json
import os
import re
import sys

PROMPT = "Question: {q}\nLet's think step by step\nAnswer:"


def gsm8k_postprocess(text):
    text = text.split("Question:")[0]
    numbers = re.findall(r"\-?\d+\.\d+|\-?\d+", text)
    return numbers[-1] if numbers else "NULL"


def is_equal(pred, refer):
    try:
        if pred == refer or abs(float(pred) - int(refer)) < 1e-6:
            return True
    except Exception:
        pass
    return False


def reference_of(ground_truth):
    return ground_truth.rstrip().split("\n")[-1].split(":", 1)[1].strip().replace(",", "")


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=4)


def write_run(work, model, rows, solution_set, parts):
    records = [{"origin_prompt": [{"role": "HUMAN", "prompt": PROMPT.format(q=r["question"])}],
                "prediction": r[solution_set]["solution"], "gold": reference_of(r["ground_truth"])} for r in rows]
    step = (len(records) + parts - 1) // parts
    for k in range(parts):
        chunk = records[k * step:(k + 1) * step]
        write_json(os.path.join(work, "predictions", model, f"gsm8k_{k}.json"),
                   {str(i): rec for i, rec in enumerate(chunk)})
    details = {"type": "GEN"}
    correct = 0
    for i, rec in enumerate(records):
        pred = gsm8k_postprocess(rec["prediction"])
        ok = is_equal(pred, rec["gold"])
        correct += ok
        details[str(i)] = {"prompt": rec["origin_prompt"], "origin_prediction": rec["prediction"],
                           "predictions": pred, "references": rec["gold"], "correct": ok}
    write_json(os.path.join(work, "results", model, "gsm8k.json"),
               {"accuracy": 100 * correct / len(records), "details": details})


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    with open(os.path.join(data_dir, "gsm8k", "example_model_solutions.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    root = os.path.join(out_dir, "outputs", "gsm8k_eval")
    write_run(os.path.join(root, "20260114_090000"), "gpt-3-6b", rows[:100], "6b_finetuning", 1)
    latest = os.path.join(root, "20260115_100000")
    write_run(latest, "gpt-3-175b", rows, "175b_verification", 3)
    write_run(latest, "gpt-3-6b", rows, "6b_finetuning", 2)


if __name__ == "__main__":
    main()
