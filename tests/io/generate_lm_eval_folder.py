#!/usr/bin/env python3
"""Writes a real-format lm-evaluation-harness output folder from the real data in ../shared/data.

Usage: generate_lm_eval_folder.py DATA_DIR OUT_DIR [--example]

--example writes the small subset bundled as examples/lm_eval (gsm8k's first 250 documents, three
bbh_cot_fewshot and two leaderboard_bbh tasks, and the math, mmlu and aime tasks), samples files gzip-compressed
(mtime 0, so the bytes are reproducible).

Layout and fields follow lm-evaluation-harness (EleutherAI/lm-evaluation-harness @ 4e7e0d47,
lm_eval/evaluator.py and lm_eval/loggers/evaluation_tracker.py, v0.4.3+): OUT_DIR/<model>/samples_<task>_<date>.jsonl
with one record per (document, filter): doc_id, doc, target (as str), arguments {"gen_args_i": {"arg_j"}}, resps and
filtered_resps (sanitize_list: every scalar as str), filter, metrics, doc_hash/prompt_hash/target_hash (sha256),
and the per-record metric values; results_<date>.json with results (metric,filter + _stderr), n-shot, configs,
versions, n-samples. The per-record metrics are computed the harness's way (each task's process_results, filters
and metric, re-implemented below from the harness's source; see the comments per task).

Where the text comes from (all real unless said):
  gsm8k                     GSM8K test, solutions of the 175B fine-tuned model (gsm8k/example_model_solutions.jsonl);
                            the model's final line "A: N" is rewritten as "#### N" (GSM8K's training format, which
                            the task's strict-match filter reads). Filters strict-match and flexible-extract.
  bbh_cot_fewshot_<t>       code-davinci-002 chain-of-thought outputs, prompts and targets as published (27 tasks).
  leaderboard_bbh_<t>       multiple choice (7 tasks); the log-likelihoods are DERIVED: the choice code-davinci-002
                            answered directly (real, code-davinci-002-direct) gets the highest log-likelihood, the
                            others deterministic values from a hash; acc_norm divides by len(choice) in characters.
  mmlu_abstract_algebra     the two real MMLU documents of tests/fixtures/lm_eval (integer target); derived lls.
  hendrycks_math_prealgebra Qwen2.5-Math's first sampled answer (pred[0]) on its 100 MATH problems as " $pred$".
  minerva_math_prealgebra   Qwen2.5-Math's first generation (code[0], real text) followed by the Minerva statement
                            "Final Answer: The final answer is $pred$. I hope it is correct."
  minerva_math500           the same, for the problems of MATH-500 among them.
  leaderboard_math_prealgebra_hard  the same, Level 5 problems only.
  aime24                    DERIVED answers "The answer is $NNN$." (correct for every sixth problem by a hash).

The harness's minerva/leaderboard is_equiv parses LaTeX with sympy+antlr4 (and math_verify); this script uses the
normalised strings' equality, or equal values when both are plain numbers or fractions, in its place.
"""
import gzip
import hashlib
import json
import math
import os
import re
import sys
from fractions import Fraction

DATE = "2026-01-15T10-20-30.123456"
MODEL = "caploop-generated__real-outputs"


def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def unit(*parts):
    """A deterministic number in [0, 1) from the parts."""
    return int(sha("|".join(str(p) for p in parts))[:12], 16) / float(1 << 48)


def sanitize(x):
    if isinstance(x, (list, tuple)):
        return [sanitize(i) for i in x]
    return str(x)


class Task:
    def __init__(self, name, output_type, num_fewshot, config):
        self.name, self.output_type, self.num_fewshot, self.config = name, output_type, num_fewshot, config
        self.records = []          # written in filter order, as lm-eval does
        self.metric_values = {}    # (metric, filter) -> [values]

    def add(self, doc_id, doc, target, arguments, resps, filtered, filt, metrics):
        self.records.append({
            "doc_id": doc_id, "doc": doc, "target": str(target),
            "arguments": {f"gen_args_{i}": {f"arg_{j}": a for j, a in enumerate(arg)} for i, arg in enumerate(arguments)},
            "resps": sanitize(resps), "filtered_resps": sanitize(filtered), "filter": filt,
            "metrics": list(metrics.keys()),
            "doc_hash": sha(json.dumps(doc, indent=2, ensure_ascii=False)),
            "prompt_hash": sha(arguments[0][0]), "target_hash": sha(str(target)), **metrics})
        for m, v in metrics.items():
            self.metric_values.setdefault((m, filt), []).append(v)


# ---- lm_eval/filters/extraction.py RegexFilter + take_first ----
def regex_filter(resp, pattern, group_select=0, fallback="[invalid]"):
    match = re.findall(pattern, resp)
    if not match:
        return fallback
    match = match[group_select]
    if isinstance(match, tuple):
        match = [m for m in match if m]
        match = match[0] if match else fallback
    return match.strip()


# ---- lm_eval/api/metrics.py exact_match_hf_evaluate ----
def exact_match(pred, ref, regexes_to_ignore=(), ignore_case=False):
    for s in regexes_to_ignore:
        pred, ref = re.sub(s, "", pred), re.sub(s, "", ref)
    if ignore_case:
        pred, ref = pred.lower(), ref.lower()
    return 1.0 if pred == ref else 0.0


# ---- hendrycks_math/utils.py (also aime/utils.py) ----
def last_boxed_only_string(string):
    idx = string.rfind("\\boxed")
    if "\\boxed " in string:
        return "\\boxed " + string.split("\\boxed ")[-1].split("$")[0]
    if idx < 0:
        idx = string.rfind("\\fbox")
        if idx < 0:
            return None
    i, right, depth = idx, None, 0
    while i < len(string):
        if string[i] == "{":
            depth += 1
        if string[i] == "}":
            depth -= 1
            if depth == 0:
                right = i
                break
        i += 1
    return None if right is None else string[idx:right + 1]


def remove_boxed(s):
    if "\\boxed " in s:
        assert s[:7] == "\\boxed "
        return s[7:]
    assert s[:7] == "\\boxed{" and s[-1] == "}"
    return s[7:-1]


def fix_fracs(string):
    substrs = string.split("\\frac")
    new_str = substrs[0]
    for substr in substrs[1:]:
        new_str += "\\frac"
        if substr[0] == "{":
            new_str += substr
        else:
            if len(substr) < 2:
                return string
            a, b = substr[0], substr[1]
            if b != "{":
                new_str += "{" + a + "}{" + b + "}" + substr[2:]
            else:
                new_str += "{" + a + "}" + b + substr[2:]
    return new_str


def fix_a_slash_b(string):
    if len(string.split("/")) != 2:
        return string
    a, b = string.split("/")
    try:
        a, b = int(a), int(b)
        assert string == "{}/{}".format(a, b)
        return "\\frac{" + str(a) + "}{" + str(b) + "}"
    except (AssertionError, ValueError):
        return string


def remove_right_units(string):
    if "\\text{ " in string:
        splits = string.split("\\text{ ")
        assert len(splits) == 2
        return splits[0]
    return string


def fix_sqrt(string):
    if "\\sqrt" not in string:
        return string
    splits = string.split("\\sqrt")
    new = splits[0]
    for split in splits[1:]:
        new += ("\\sqrt{" + split[0] + "}" + split[1:]) if split[0] != "{" else ("\\sqrt" + split)
    return new


def strip_string(string):
    string = string.replace("\n", "").replace("\\!", "").replace("\\\\", "\\")
    string = string.replace("tfrac", "frac").replace("dfrac", "frac")
    string = string.replace("\\left", "").replace("\\right", "")
    string = string.replace("^{\\circ}", "").replace("^\\circ", "").replace("\\$", "")
    string = remove_right_units(string)
    string = string.replace("\\%", "").replace("\%", "")  # noqa: W605 (as the harness writes it)
    string = string.replace(" .", " 0.").replace("{.", "{0.")
    if len(string) == 0:
        return string
    if string[0] == ".":
        string = "0" + string
    if len(string.split("=")) == 2 and len(string.split("=")[0]) <= 2:
        string = string.split("=")[1]
    string = fix_sqrt(string)
    string = string.replace(" ", "")
    string = fix_fracs(string)
    if string == "0.5":
        string = "\\frac{1}{2}"
    return fix_a_slash_b(string)


def hendrycks_is_equiv(a, b):
    try:
        return strip_string(a) == strip_string(b)
    except Exception:
        return a == b


def dollar_answer(response):
    indices = [pos for pos, char in enumerate(response) if char == "$"]
    return response if len(indices) <= 1 else response[indices[0] + 1:indices[-1]]


# ---- minerva_math/utils.py ----
SUBSTITUTIONS = [("an ", ""), ("a ", ""), (".$", "$"), ("\\$", ""), (r"\ ", ""), (" ", ""), ("mbox", "text"),
                 (",\\text{and}", ","), ("\\text{and}", ","), ("\\text{m}", "\\text{}")]
REMOVED_EXPRESSIONS = ["square", "ways", "integers", "dollars", "mph", "inches", "ft", "hours", "km", "units",
                       "\\ldots", "sue", "points", "feet", "minutes", "digits", "cents", "degrees", "cm", "gm",
                       "pounds", "meters", "meals", "edges", "students", "childrentickets", "multiples", "\\text{s}",
                       "\\text{.}", "\\text{\ns}", "\\text{}^2", "\\text{}^3", "\\text{\n}", "\\text{}",
                       r"\mathrm{th}", r"^\circ", r"^{\circ}", r"\;", r",\!", "{,}", '"', "\\dots"]


def normalize_final_answer(final_answer):
    final_answer = final_answer.split("=")[-1]
    for before, after in SUBSTITUTIONS:
        final_answer = final_answer.replace(before, after)
    for expr in REMOVED_EXPRESSIONS:
        final_answer = final_answer.replace(expr, "")
    final_answer = re.sub(r"(.*?)(\$)(.*?)(\$)(.*)", "$\\3$", final_answer)
    final_answer = re.sub(r"(\\text\{)(.*?)(\})", "\\2", final_answer)
    final_answer = re.sub(r"(\\textbf\{)(.*?)(\})", "\\2", final_answer)
    final_answer = re.sub(r"(\\overline\{)(.*?)(\})", "\\2", final_answer)
    final_answer = re.sub(r"(\\boxed\{)(.*)(\})", "\\2", final_answer)
    final_answer = re.sub(r"(frac)([^{])(.)", "frac{\\2}{\\3}", final_answer)
    final_answer = re.sub(r"(sqrt)([^{])", "sqrt{\\2}", final_answer)
    final_answer = final_answer.replace("$", "")
    if final_answer.replace(",", "").isdigit():
        final_answer = final_answer.replace(",", "")
    return final_answer


def get_unnormalized_answer(text):
    text += "I hope it is correct."
    match = re.search(r"Final Answer: The final answer is(.*?). I hope it is correct.", text)
    return match.group(1).strip() if match else "[invalidanswer]"


def plain_value(s):
    m = re.fullmatch(r"(-?)\\frac\{(-?\d+)\}\{(-?\d+)\}", s)
    try:
        if m:
            v = Fraction(int(m.group(2)), int(m.group(3)))
            return -v if m.group(1) else v
        return Fraction(s)
    except (ValueError, ZeroDivisionError):
        return None


def minerva_is_equiv(x1, x2):
    """Stand-in for the harness's sympy parse_latex equivalence (see the module comment)."""
    if x1 == x2:
        return True
    a, b = plain_value(x1), plain_value(x2)
    return a is not None and a == b


# ---- writing ----
def mean_stderr(values):
    n = len(values)
    if n < 2:
        return "N/A"
    mu = sum(values) / n
    return math.sqrt(sum((v - mu) ** 2 for v in values) / (n - 1)) / math.sqrt(n)


def write(out, tasks, compress=False):
    folder = os.path.join(out, MODEL)
    os.makedirs(folder, exist_ok=True)
    results, n_shot, configs, versions, n_samples = {}, {}, {}, {}, {}
    for t in tasks:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in t.records).encode("utf-8")
        name = os.path.join(folder, f"samples_{t.name}_{DATE}.jsonl")
        if compress:
            with open(name + ".gz", "wb") as raw:
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
                    f.write(text)
        else:
            with open(name, "wb") as f:
                f.write(text)
        res = {"alias": t.name}
        for (m, filt), values in t.metric_values.items():
            res[f"{m},{filt}"] = sum(values) / len(values)
            res[f"{m}_stderr,{filt}"] = mean_stderr(values)
        results[t.name] = res
        n_shot[t.name] = t.num_fewshot
        configs[t.name] = {"task": t.name, "output_type": t.output_type, "num_fewshot": t.num_fewshot, **t.config}
        versions[t.name] = 1.0
        n_docs = len({r["doc_id"] for r in t.records})
        n_samples[t.name] = {"original": n_docs, "effective": n_docs}
    summary = {"results": results, "group_subtasks": {t.name: [] for t in tasks}, "configs": configs,
               "versions": versions, "n-shot": n_shot, "n-samples": n_samples,
               "config": {"model": "hf", "model_args": "pretrained=caploop-generated/real-outputs", "batch_size": 1},
               "model_name": "caploop-generated/real-outputs", "date": 1768472430.0,
               "lm_eval_version": "0.4.9"}
    with open(os.path.join(folder, f"results_{DATE}.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2, ensure_ascii=False)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gsm8k_task(data):
    gen = {"until": ["Question:", "</s>", "<|im_end|>"], "do_sample": False, "temperature": 0.0}
    t = Task("gsm8k", "generate_until", 5, {"generation_kwargs": gen, "repeats": 1})
    tests = read_jsonl(os.path.join(data, "gsm8k/test.jsonl"))
    sols = read_jsonl(os.path.join(data, "gsm8k/example_model_solutions.jsonl"))
    ignore = [",", "\\$", "(?s).*#### ", "\\.$"]
    filters = [("strict-match", r"#### (\-?[0-9\.\,]+)", 0), ("flexible-extract", r"(-?[$0-9.,]{2,})|(-?[0-9]+)", -1)]
    docs = []
    for i, (doc, sol) in enumerate(zip(tests, sols)):
        text = re.sub(r"\nA: *([^\n]*)\s*$", r"\n#### \1", sol["175b_finetuning"]["solution"])
        prompt = f"Question: {doc['question']}\nAnswer:"
        docs.append((i, doc, prompt, text))
    for name, pattern, group in filters:
        for i, doc, prompt, text in docs:
            value = regex_filter(text, pattern, group)
            em = exact_match(value, doc["answer"], ignore, ignore_case=True)
            t.add(i, doc, doc["answer"], [(prompt, gen)], [[text]], [value], name, {"exact_match": em})
    return t


def bbh_cot_tasks(data):
    folder = os.path.join(data, "bbh/code-davinci-002-outputs/code-davinci-002-cot")
    gen = {"max_gen_toks": 1024, "until": ["</s>", "Q", "\n\n"], "do_sample": False, "temperature": 0.0}
    tasks = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith("_few_shot_template_0-255000.json"):
            continue
        sub = name[:-len("_few_shot_template_0-255000.json")]
        t = Task("bbh_cot_fewshot_" + sub, "generate_until", 3,
                 {"generation_kwargs": gen, "target_delimiter": "", "repeats": 1})
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            outputs = json.load(f)["outputs"]
        for i, o in enumerate(outputs):
            q = o["input"].rsplit("\n\nQ: ", 1)[-1]
            q = q[:-len("\nA: Let's think step by step.")] if q.endswith("\nA: Let's think step by step.") else q
            doc = {"input": q, "target": o["target"]}
            value = regex_filter(o["prediction"], r"(?<=the answer is )(.*)(?=.)")
            t.add(i, doc, o["target"], [(o["input"], gen)], [[o["prediction"]]], [value], "get-answer",
                  {"exact_match": exact_match(value, o["target"])})
        tasks.append(t)
    return tasks


def multiple_choice(t, doc_id, doc, target, prompt, choices, predicted, delimiter=" "):
    """Log-likelihoods that make `predicted` (an index) the raw argmax; acc and acc_norm as the harness computes."""
    lls = [-(0.2 + 3.0 * unit(t.name, doc_id, i)) - 0.15 * len(c) * unit("len", t.name, doc_id, i)
           for i, c in enumerate(choices)]
    others = [ll for i, ll in enumerate(lls) if i != predicted]
    lls[predicted] = (max(others) if others else -1.0) + 0.01 + 0.5 * unit("top", t.name, doc_id)
    pred = max(range(len(lls)), key=lambda i: (lls[i], -i))
    pred_norm = max(range(len(lls)), key=lambda i: (lls[i] / len(choices[i]), -i))
    gold = target if isinstance(target, int) else (choices.index(target) if target in choices else -100)
    metrics = {}
    if "acc" in t.config["metrics"]:
        metrics["acc"] = 1.0 if pred == gold else 0.0
    if "acc_norm" in t.config["metrics"]:
        metrics["acc_norm"] = 1.0 if pred_norm == gold else 0.0
    resps = [[(ll, "False")] for ll in lls]
    t.add(doc_id, doc, target, [(prompt, delimiter + c) for c in choices], resps, [(ll, "False") for ll in lls],
          "none", metrics)


LEADERBOARD_BBH = {"navigate": ["Yes", "No"], "boolean_expressions": ["False", "True"],
                   "causal_judgement": ["Yes", "No"], "sports_understanding": ["yes", "no"],
                   "web_of_lies": ["Yes", "No"], "formal_fallacies": ["valid", "invalid"],
                   "date_understanding": ["(A)", "(B)", "(C)", "(D)", "(E)", "(F)"]}


def leaderboard_bbh_tasks(data):
    tasks = []
    for sub, choices in sorted(LEADERBOARD_BBH.items()):
        t = Task("leaderboard_bbh_" + sub, "multiple_choice", 3, {"target_delimiter": " ", "metrics": ["acc_norm"],
                                                                 "metric_list": [{"metric": "acc_norm"}]})
        with open(os.path.join(data, f"bbh/bbh/{sub}.json"), encoding="utf-8") as f:
            examples = json.load(f)["examples"]
        path = f"bbh/code-davinci-002-outputs/code-davinci-002-direct/{sub}_few_shot_template_0-255000.json"
        with open(os.path.join(data, path), encoding="utf-8") as f:
            direct = json.load(f)["outputs"]
        shots = "".join(f"Q: {e['input']}\nA: {e['target']}\n\n" for e in examples[:3])
        for i, (e, d) in enumerate(zip(examples, direct)):
            answer = d["prediction"].strip().rstrip(".")
            predicted = choices.index(answer) if answer in choices else int(unit("miss", sub, i) * len(choices))
            multiple_choice(t, i, {"input": e["input"], "target": e["target"]}, e["target"],
                            shots + f"Q: {e['input']}\nA:", choices, predicted)
        del t.config["metrics"]
        tasks.append(t)
    return tasks


def mmlu_task(fixtures):
    t = Task("mmlu_abstract_algebra", "multiple_choice", 0, {"target_delimiter": " ", "metrics": ["acc"],
                                                             "metric_list": [{"metric": "acc"}]})
    with open(os.path.join(fixtures, "lm_eval/v03_old_shapes/samples_mmlu_abstract_algebra.json"), encoding="utf-8") as f:
        records = json.load(f)
    for r in records:
        doc = r["doc"]
        prompt = ("The following are multiple choice questions (with answers) about abstract algebra.\n\n"
                  + doc["question"].strip() + "".join(f"\n{l}. {c}" for l, c in zip("ABCD", doc["choices"]))
                  + "\nAnswer:")
        predicted = doc["answer"] if unit("mmlu", r["doc_id"]) < 0.5 else (doc["answer"] + 1) % 4
        multiple_choice(t, r["doc_id"], doc, doc["answer"], prompt, ["A", "B", "C", "D"], predicted)
    del t.config["metrics"]
    return t


def math_tasks(data):
    qwen = read_jsonl(os.path.join(data, "model_outputs/qwen25math_math_cot_100/math_cot_100.jsonl"))
    full = {d["problem"]: d for d in read_jsonl(os.path.join(data, "math/math_full_test/test.jsonl"))}
    m500 = {d["problem"]: d for d in read_jsonl(os.path.join(data, "math/math500/test.jsonl"))}
    gen = {"until": ["Problem:"], "do_sample": False, "temperature": 0}
    hendrycks = Task("hendrycks_math_prealgebra", "generate_until", 0, {"generation_kwargs": gen})
    minerva = Task("minerva_math_prealgebra", "generate_until", 4, {"generation_kwargs": gen})
    math500 = Task("minerva_math500", "generate_until", 4, {"generation_kwargs": gen})
    hard = Task("leaderboard_math_prealgebra_hard", "generate_until", 4,
                {"generation_kwargs": dict(gen, max_gen_toks=1024)})
    hard_id = 0
    m500_id = 0
    for i, q in enumerate(qwen):
        src = full[q["question"]]
        boxed = remove_boxed(last_boxed_only_string(src["solution"]))
        # hendrycks_math: zero-shot "Problem: ...\nAnswer:", the answer between the first and last "$".
        hdoc = {"problem": src["problem"], "solution": src["solution"], "answer": boxed}
        text = " $" + q["pred"][0] + "$"
        em = 1 if hendrycks_is_equiv(dollar_answer(text), boxed) else 0
        hendrycks.add(i, hdoc, boxed, [(f"Problem: {src['problem']}\nAnswer:", gen)], [[text]], [text], "none",
                      {"exact_match": em})
        # minerva_math: the Minerva statement, normalised answers compared.
        mdoc = {"problem": src["problem"], "solution": src["solution"], "answer": normalize_final_answer(boxed)}
        mtext = q["code"][0] + "\nFinal Answer: The final answer is $" + q["pred"][0] + "$. I hope it is correct."
        prompt = "Problem:\n" + src["problem"] + "\n\nSolution:"
        answer = normalize_final_answer(get_unnormalized_answer(mtext))
        em = 1 if minerva_is_equiv(answer, mdoc["answer"]) else 0
        minerva.add(i, mdoc, mdoc["answer"], [(prompt, gen)], [[mtext]], [mtext], "none", {"exact_match": em})
        if src["problem"] in m500:
            math500.add(m500_id, mdoc, mdoc["answer"], [(prompt, gen)], [[mtext]], [mtext], "none",
                        {"exact_match": em})
            m500_id += 1
        if src["level"] == "Level 5":
            ldoc = {"problem": src["problem"], "solution": src["solution"], "answer": boxed}
            gold = normalize_final_answer(boxed)
            ok = answer != "[invalidanswer]" and (answer.strip() == gold.strip() or minerva_is_equiv(answer, gold))
            hard.add(hard_id, ldoc, boxed, [(prompt, hard.config["generation_kwargs"])], [[mtext]], [mtext], "none",
                     {"exact_match": 1 if ok else 0})
            hard_id += 1
    return [hendrycks, minerva, math500, hard]


def aime_task(data):
    gen = {"until": ["Question:", "</s>", "<|im_end|>", "<|eot_id|>"], "do_sample": False, "temperature": 0.0,
           "max_gen_toks": 32768}
    t = Task("aime24", "generate_until", 0, {"generation_kwargs": gen, "repeats": 1})
    for i, d in enumerate(read_jsonl(os.path.join(data, "aime/aime24/test.jsonl"))):
        answer = str(d["answer"])
        given = answer if unit("aime", i) < 1 / 6 else str((int(answer) + 1 + int(unit("off", i) * 97)) % 1000)
        text = f" Working through the problem step by step, the answer is ${given}$."
        doc = {"ID": str(d["id"]), "Problem": d["problem"], "Solution": d["solution"], "Answer": int(answer)}
        response = text
        extracted = dollar_answer(response)
        boxed = last_boxed_only_string(response)
        if boxed is not None:
            extracted = remove_boxed(boxed)
        em = 1 if hendrycks_is_equiv(extracted, answer) else 0
        t.add(i, doc, answer, [(f"Question: {d['problem']}\nAnswer:", gen)], [[text]], [text], "none",
              {"exact_match": em})
    return t


def main():
    data, out = sys.argv[1], sys.argv[2]
    example = "--example" in sys.argv[3:]
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
    tasks = [gsm8k_task(data)] + bbh_cot_tasks(data) + leaderboard_bbh_tasks(data) + [mmlu_task(fixtures)]
    tasks += math_tasks(data) + [aime_task(data)]
    if example:
        keep = {"gsm8k", "bbh_cot_fewshot_navigate", "bbh_cot_fewshot_date_understanding",
                "bbh_cot_fewshot_dyck_languages", "leaderboard_bbh_navigate", "leaderboard_bbh_date_understanding",
                "mmlu_abstract_algebra", "hendrycks_math_prealgebra", "minerva_math_prealgebra", "minerva_math500",
                "leaderboard_math_prealgebra_hard", "aime24"}
        tasks = [t for t in tasks if t.name in keep]
        for t in tasks:
            if t.name == "gsm8k":
                t.records = [r for r in t.records if r["doc_id"] < 250]
                t.metric_values = {}
                for r in t.records:
                    t.metric_values.setdefault(("exact_match", r["filter"]), []).append(r["exact_match"])
    write(out, tasks, compress=example)


if __name__ == "__main__":
    main()
