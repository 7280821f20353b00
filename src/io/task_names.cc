#include "io/task_names.h"

#include <array>

namespace caploop {

namespace {

// The MATH subjects as lm-eval's minerva_math_* and hendrycks_math_* tasks spell them.
constexpr std::array<std::string_view, 7> kMathSubjects = {
    "algebra", "counting_and_prob", "geometry", "intermediate_algebra", "num_theory", "prealgebra", "precalc"};

bool is_math_subject(std::string_view s) {
  for (std::string_view subject : kMathSubjects) {
    if (s == subject) return true;
  }
  return false;
}

// A task name prefix whose remainder is the task within `benchmark`; checked in order, so a longer prefix
// must come before a shorter one that it extends.
struct PrefixRule {
  std::string_view prefix;
  std::string_view benchmark;
  bool math_subjects_only;  // the remainder must be one of kMathSubjects
};

// The order is also the preference among variants that map to one (benchmark, task) in one run: the first
// keeps the plain task name, later ones are kept apart under their own lm-eval name (lm_eval_variant_rank).
constexpr std::array<PrefixRule, 19> kLmEvalPrefixes = {{
    {"bbh_cot_fewshot_", "bbh", false},
    {"bbh_cot_zeroshot_", "bbh", false},
    {"bbh_fewshot_", "bbh", false},
    {"bbh_zeroshot_", "bbh", false},
    {"leaderboard_bbh_", "bbh", false},
    {"minerva_math_", "math", true},
    {"hendrycks_math_", "math", true},
    {"leaderboard_math_", "math", true},
    {"math_", "math", true},
    {"leaderboard_gpqa_", "gpqa", false},
    {"leaderboard_musr_", "musr", false},
    {"leaderboard_mmlu_pro", "mmlu_pro", false},
    {"mmlu_pro_", "mmlu_pro", false},
    {"mmlu_flan_n_shot_generative_", "mmlu", false},
    {"mmlu_flan_n_shot_loglikelihood_", "mmlu", false},
    {"mmlu_flan_cot_fewshot_", "mmlu", false},
    {"mmlu_flan_cot_zeroshot_", "mmlu", false},
    {"mmlu_generative_", "mmlu", false},
    {"mmlu_", "mmlu", false},
}};

// Whole names that map to one (benchmark, task).
struct ExactRule {
  std::string_view name;
  std::string_view benchmark;
  std::string_view task;
};

constexpr std::array<ExactRule, 16> kLmEvalExact = {{
    {"gsm8k", "gsm8k", "gsm8k"},
    {"gsm8k_cot", "gsm8k", "gsm8k"},
    {"gsm8k_cot_self_consistency", "gsm8k", "gsm8k"},
    {"gsm8k_cot_zeroshot", "gsm8k", "gsm8k"},
    {"gsm8k_cot_llama", "gsm8k", "gsm8k"},
    {"minerva_math", "math", "math"},
    {"hendrycks_math", "math", "math"},
    {"minerva_math500", "math", "math500"},
    {"hendrycks_math500", "math", "math500"},
    {"math500", "math", "math500"},
    {"leaderboard_ifeval", "ifeval", "ifeval"},
    {"leaderboard_mmlu_pro", "mmlu_pro", "mmlu_pro"},
    {"aime24", "aime", "aime24"},
    {"aime25", "aime", "aime25"},
    {"aime", "aime", "aime"},
    {"mmlu", "mmlu", "mmlu"},
}};

constexpr std::array<ExactRule, 7> kOpenCompassExact = {{
    {"gsm8k", "gsm8k", "gsm8k"},
    {"math", "math", "math"},
    {"aime2024", "aime", "aime24"},
    {"aime2025", "aime", "aime25"},
    {"mmlu", "mmlu", "mmlu"},
    {"bbh", "bbh", "bbh"},
    {"minerva_math", "math", "math"},
}};

template <size_t N>
bool find_exact(const std::array<ExactRule, N>& rules, std::string_view name, BenchmarkTask& out) {
  for (const ExactRule& rule : rules) {
    if (rule.name == name) {
      out = {std::string(rule.benchmark), std::string(rule.task)};
      return true;
    }
  }
  return false;
}

BenchmarkTask unknown(std::string_view name) { return {std::string(name), std::string(name)}; }

}  // namespace

BenchmarkTask map_lm_eval_task(std::string_view name) {
  BenchmarkTask out;
  if (find_exact(kLmEvalExact, name, out)) return out;
  for (const PrefixRule& rule : kLmEvalPrefixes) {
    if (!name.starts_with(rule.prefix) || name.size() == rule.prefix.size()) continue;
    std::string_view rest = name.substr(rule.prefix.size());
    if (rule.prefix == "leaderboard_math_") {
      // leaderboard_math_<subject>_hard, with "precalculus" for the subject lm-eval elsewhere calls "precalc"
      if (!rest.ends_with("_hard")) continue;
      rest.remove_suffix(5);
      if (rest == "precalculus") rest = "precalc";
    }
    if (rule.math_subjects_only && !is_math_subject(rest)) continue;
    return {std::string(rule.benchmark), std::string(rest)};
  }
  return unknown(name);
}

int lm_eval_variant_rank(std::string_view name) {
  for (size_t i = 0; i < kLmEvalExact.size(); ++i) {
    if (kLmEvalExact[i].name == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < kLmEvalPrefixes.size(); ++i) {
    if (name.starts_with(kLmEvalPrefixes[i].prefix)) return static_cast<int>(kLmEvalExact.size() + i);
  }
  return static_cast<int>(kLmEvalExact.size() + kLmEvalPrefixes.size());
}

BenchmarkTask map_opencompass_dataset(std::string_view name) {
  BenchmarkTask out;
  if (find_exact(kOpenCompassExact, name, out)) return out;
  // OpenCompass writes a dataset family and its subset as `<family>-<subset>`; older configs prefix MMLU
  // subsets with `lukaemon_mmlu_`.
  constexpr std::string_view kLukaemonMmlu = "lukaemon_mmlu_";
  if (name.starts_with(kLukaemonMmlu) && name.size() > kLukaemonMmlu.size()) {
    return {"mmlu", std::string(name.substr(kLukaemonMmlu.size()))};
  }
  size_t dash = name.find('-');
  if (dash != std::string_view::npos && dash > 0 && dash + 1 < name.size()) {
    BenchmarkTask family;
    std::string_view head = name.substr(0, dash);
    std::string benchmark = find_exact(kOpenCompassExact, head, family) ? family.benchmark : std::string(head);
    return {benchmark, std::string(name.substr(dash + 1))};
  }
  return unknown(name);
}

}  // namespace caploop
