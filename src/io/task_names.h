// Task names: maps a harness's task or dataset name to caploop's (benchmark, task) pair, so that the same
// item is recognised across harnesses (lm-eval's `bbh_cot_fewshot_date_understanding` and OpenCompass's
// `bbh-date_understanding` are both bbh / date_understanding).
//
// Contract: pure functions over a fixed, ordered table of rules (task_names.cc); the first rule that
// matches wins, and a name no rule knows becomes benchmark = task = the name itself. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace caploop {

struct BenchmarkTask {
  std::string benchmark;
  std::string task;
  bool operator==(const BenchmarkTask&) const = default;
};

// lm-evaluation-harness task names (`gsm8k_cot`, `minerva_math_algebra`, `mmlu_abstract_algebra`, ...).
// The Open LLM Leaderboard families join their base benchmark: leaderboard_bbh_navigate is bbh/navigate,
// leaderboard_math_algebra_hard is math/algebra (precalculus as precalc); minerva_math500 is math/math500.
BenchmarkTask map_lm_eval_task(std::string_view name);

// Preference among lm-eval variants that map to the same (benchmark, task) in one run (lower first): the
// preferred one keeps the mapped task name, the others are kept apart as tasks named by their lm-eval name.
// The order is fixed (the task table's), so the same folder always gives the same names.
int lm_eval_variant_rank(std::string_view name);

// OpenCompass dataset abbreviations (`bbh-date_understanding`, `gsm8k`, `math`, `mmlu-abstract_algebra`, ...).
BenchmarkTask map_opencompass_dataset(std::string_view name);

}  // namespace caploop
