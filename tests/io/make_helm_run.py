#!/usr/bin/env python3
"""Writes a HELM run folder for GSM8K built from real model outputs, for caploop's importer tests.

Provenance: questions, references and model solutions are OpenAI's GSM8K test set and its example model solutions
(openai/grade-school-math @ 3101c7d5, MIT; ../shared/data/gsm8k/example_model_solutions.jsonl); the 175B
verifier's solutions stand for the completions of a model "openai/gpt-3-175b". The layout and schema follow HELM
(stanford-crfm/helm: benchmark/adaptation/scenario_state.py and request_state.py, common/request.py Request,
RequestResult, GeneratedOutput with finish_reason {"reason": ...}; metrics/metric.py PerInstanceStats,
metrics/statistic.py Stat): benchmark_output/runs/<suite>/<run name>/ with run_spec.json, scenario_state.json,
per_instance_stats.json and stats.json. The GSM8K scenario's references are built as HELM's gsm_scenario.py
builds them ("####" becomes "The answer is", line breaks spaces, a final "."), the run spec is HELM's
get_gsm_spec (5 examples, max_tokens 400, stop "\\n\\n"), and final_number_exact_match is computed as HELM's
evaluate_reference_metrics.py does (the last number of gold and prediction, commas removed, compared exactly).
Every 50th completion is cut at the length limit (finish_reason "length"). Token counts are words. Deterministic.

Usage: make_helm_run.py DATA_DIR OUT_DIR [N]   (writes OUT_DIR/runs/v1/gsm:model=openai_gpt-3-175b/, N questions)
"""
import json
import os
import re
import sys

MODEL = "openai/gpt-3-175b"


def final_number(x):
    matches = re.findall(r"-?[\d,]+(?:.\d+)?", x)
    return matches[-1].replace(",", "") if matches else ""


def exact_match(gold, pred):
    if not pred:
        return 0
    return 1 if gold.strip() == pred.strip() else 0


def stat(name, value, split="test"):
    return {"name": {"name": name, "split": split}, "count": 1, "sum": value, "sum_squared": value * value,
            "min": value, "max": value, "mean": value, "variance": 0.0, "stddev": 0.0}


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    with open(os.path.join(data_dir, "gsm8k", "test.jsonl"), encoding="utf-8") as f:
        tests = [json.loads(line) for line in f][:n]
    with open(os.path.join(data_dir, "gsm8k", "example_model_solutions.jsonl"), encoding="utf-8") as f:
        solutions = [json.loads(line) for line in f][:n]
    adapter = {"method": "generation", "instructions": "", "input_prefix": "Q: ", "output_prefix": "A: ",
               "max_train_instances": 5, "num_outputs": 1, "num_train_trials": 1, "model": MODEL,
               "model_deployment": MODEL, "temperature": 0.0, "max_tokens": 400, "stop_sequences": ["\n\n"]}
    states, per_instance, matches = [], [], []
    for i, (t, s) in enumerate(zip(tests, solutions)):
        assert t["question"] == s["question"]
        answer = t["answer"].replace("####", "The answer is").replace("\n", " ") + "."
        instance = {"input": {"text": t["question"]},
                    "references": [{"output": {"text": answer}, "tags": ["correct"]}],
                    "split": "test", "id": f"id{i}"}
        text = s["175b_verification"]["solution"]
        reason = "stop"
        if i % 50 == 49:
            text = " ".join(text.split(" ")[:10])
            reason = "length"
        tokens = [{"text": w, "logprob": 0.0} for w in text.split(" ")]
        prompt = f"Q: {t['question']}\nA:"
        states.append({
            "instance": instance, "train_trial_index": 0, "output_mapping": None, "reference_index": None,
            "request": {"model_deployment": MODEL, "model": MODEL, "embedding": False, "prompt": prompt,
                        "temperature": 0.0, "num_completions": 1, "top_k_per_token": 1, "max_tokens": 400,
                        "stop_sequences": ["\n\n"], "echo_prompt": False, "top_p": 1, "presence_penalty": 0,
                        "frequency_penalty": 0},
            "result": {"success": True, "embedding": [], "completions": [
                {"text": text, "logprob": 0.0, "tokens": tokens, "finish_reason": {"reason": reason}}],
                "cached": True, "request_time": 1.0},
            "num_train_instances": 5, "prompt_truncated": False, "num_conditioning_tokens": 0})
        m = exact_match(final_number(answer), final_number(text))
        matches.append(m)
        per_instance.append({"instance_id": f"id{i}", "train_trial_index": 0,
                             "stats": [stat("final_number_exact_match", m), stat("num_output_tokens", len(tokens))]})
    run = os.path.join(out_dir, "runs", "v1", "gsm:model=openai_gpt-3-175b")
    os.makedirs(run, exist_ok=True)
    mean = sum(matches) / len(matches)
    files = {
        "run_spec.json": {"name": "gsm:model=openai_gpt-3-175b",
                          "scenario_spec": {"class_name": "helm.benchmark.scenarios.gsm_scenario.GSM8KScenario",
                                            "args": {}}, "adapter_spec": adapter, "groups": ["gsm"]},
        "scenario_state.json": {"adapter_spec": adapter, "request_states": states},
        "per_instance_stats.json": per_instance,
        "stats.json": [dict(stat("final_number_exact_match", mean), count=len(matches), sum=sum(matches)),
                       dict(stat("final_number_exact_match", mean, "valid"), count=0)],
    }
    for name, obj in files.items():
        with open(os.path.join(run, name), "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
