#include "eval/rule_registry.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.h"
#include "eval/rules_bbh.h"
#include "eval/rules_choice.h"
#include "eval/rules_exact.h"
#include "eval/rules_gsm8k.h"
#include "eval/rules_harness.h"
#include "eval/rules_label.h"
#include "eval/rules_lm_eval.h"
#include "eval/rules_math.h"
#include "eval/rules_tolerant.h"

namespace caploop {
namespace {

struct Registry {
  std::vector<std::unique_ptr<ScoringRule>> owned;
  std::vector<const ScoringRule*> view;

  Registry() {
    for (auto* make : {make_bbh_rules, make_choice_rules, make_label_rules, make_gsm8k_rules, make_math_rules,
                       make_lm_eval_rules, make_exact_rules, make_tolerant_rules}) {
      for (auto& rule : make()) owned.push_back(std::move(rule));
    }
    for (const auto& rule : owned) view.push_back(rule.get());
  }
};

const Registry& registry() {
  static const Registry r;  // built once, thread-safe (C++11 static initialisation)
  return r;
}

}  // namespace

const ScoringRule* find_rule(std::string_view name) {
  for (const ScoringRule* rule : registry().view) {
    if (rule->name() == name) return rule;
  }
  // "harness:<metric>" rules are made on first use and kept for the program's lifetime.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<ScoringRule>, std::less<>> harness_rules;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = harness_rules.find(name);
  if (it != harness_rules.end()) return it->second.get();
  std::unique_ptr<ScoringRule> rule = make_harness_metric_rule(name);
  if (!rule) return nullptr;
  return harness_rules.emplace(std::string(name), std::move(rule)).first->second.get();
}

const ScoringRule& rule_or_throw(std::string_view name) {
  if (const ScoringRule* rule = find_rule(name)) return *rule;
  std::string known;
  for (const ScoringRule* rule : registry().view) {
    if (!known.empty()) known += ", ";
    known += rule->name();
  }
  throw Error(ErrorKind::kNotFound, "unknown scoring rule '" + std::string(name) + "'; known rules: " + known +
                                        ", and harness:<metric>,<filter> (the harness's own per-record metric)");
}

const std::vector<const ScoringRule*>& all_rules() { return registry().view; }

std::string_view default_rule_name_for(std::string_view benchmark) {
  if (benchmark == "bbh") return "bbh";
  if (benchmark == "gsm8k") return "gsm8k";
  if (benchmark == "math" || benchmark == "minerva_math" || benchmark == "aime" || benchmark == "amc") return "math";
  return "exact";
}

bool has_builtin_default(std::string_view benchmark) { return default_rule_name_for(benchmark) != "exact"; }

std::string_view default_rule_name_for_task(std::string_view benchmark, std::string_view harness_task) {
  struct Family {
    std::string_view prefix;
    std::string_view rule;
  };
  // Checked in order; a prefix also matches the whole name.
  static constexpr Family kFamilies[] = {
      {"gsm8k", "gsm8k-lm-eval-flexible"},
      {"bbh_cot_fewshot_", "bbh-lm-eval-strict"},
      {"bbh_cot_", "bbh"},
      {"bbh_", "bbh"},
      {"leaderboard_bbh_", "mc-loglikelihood-norm"},
      {"leaderboard_gpqa", "mc-loglikelihood-norm"},
      {"leaderboard_musr", "mc-loglikelihood-norm"},
      {"leaderboard_mmlu_pro", "mc-loglikelihood"},
      {"leaderboard_math_", "math-minerva"},
      {"leaderboard_ifeval", ""},
      {"minerva_math", "math-minerva"},
      {"hendrycks_math", "math-dollar"},
      {"aime", "math-aime"},
      {"mmlu_generative", ""},
      {"mmlu_flan_", ""},
      {"mmlu_pro", ""},
      {"mmlu", "mc-loglikelihood"},
  };
  if (!harness_task.empty()) {
    for (const Family& f : kFamilies) {
      if (harness_task.starts_with(f.prefix)) return f.rule;
    }
  }
  if (benchmark == "aime") return "math-aime";
  return has_builtin_default(benchmark) ? default_rule_name_for(benchmark) : std::string_view();
}

}  // namespace caploop

namespace caploop {

std::string_view lenient_rule_name_for(std::string_view reference_rule) {
  if (reference_rule == "bbh" || reference_rule == "bbh-lm-eval-strict") return "bbh-lm-eval-flexible";
  if (reference_rule == "gsm8k") return "gsm8k-lenient";
  if (reference_rule == "math") return "math-minerva";
  if (reference_rule == "mc-letter") return "mc-letter-lenient";
  if (reference_rule == "exact") return "exact-ci";
  return reference_rule;
}

std::string_view first_answer_rule_name_for(std::string_view reference_rule) {
  if (reference_rule == "bbh" || reference_rule == "bbh-lm-eval-strict") return "bbh-first";
  if (reference_rule == "math") return "math-first";
  return reference_rule;  // gsm8k and the label rules already read the first answer statement
}

}  // namespace caploop
