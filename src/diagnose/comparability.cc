#include "diagnose/comparability.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace caploop {

namespace {

template <typename T>
std::string text_of(const std::optional<T>& v) {
  return v ? fmt::format("{}", *v) : std::string();
}

std::string text_of(const std::optional<std::vector<std::string>>& v) {
  if (!v) return {};
  std::vector<std::string> sorted = *v;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string out = "[";
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) out += ", ";
    out += fmt::format("{:?}", sorted[i]);
  }
  return out + "]";
}

ComparabilityCheck setting(std::string aspect, bool base_known, std::string base, bool cand_known,
                           std::string cand) {
  ComparabilityCheck c{std::move(aspect), std::move(base), std::move(cand), "unknown", 0.0};
  if (base_known && cand_known) c.status = c.baseline == c.candidate ? "same" : "different";
  return c;
}

}  // namespace

std::vector<std::string> Comparability::differing_aspects() const {
  std::vector<std::string> out;
  for (const ComparabilityCheck& c : checks) {
    if (c.status == "different") out.push_back(c.aspect);
  }
  return out;
}

Comparability check_comparability(const DiagnosisInput& input, const DiagnosisOptions& options) {
  Comparability out;
  const RunFacts& b = input.baseline;
  const RunFacts& c = input.candidate;

  const int64_t paired = static_cast<int64_t>(input.items.size());
  const int64_t unpaired = input.only_in_baseline + input.only_in_candidate;
  ComparabilityCheck items{"items", fmt::format("{}", paired + input.only_in_baseline),
                           fmt::format("{}", paired + input.only_in_candidate), "same", 0.0};
  items.measure = static_cast<double>(unpaired) / static_cast<double>(paired + unpaired);
  if (items.measure > options.max_unpaired_share) items.status = "different";
  out.checks.push_back(items);

  int64_t known = 0;
  int64_t mismatched = 0;
  for (const PairedItem& item : input.items) {
    if (item.base_prompt_hash.empty() || item.cand_prompt_hash.empty()) continue;
    ++known;
    if (item.base_prompt_hash != item.cand_prompt_hash) ++mismatched;
  }
  ComparabilityCheck prompts{"prompts", "", "", "unknown", 0.0};
  if (known > 0) {
    prompts.measure = static_cast<double>(mismatched) / static_cast<double>(known);
    prompts.baseline = fmt::format("{} prompts known", known);
    prompts.candidate = fmt::format("{} differ", mismatched);
    prompts.status = prompts.measure > options.max_prompt_mismatch_share ? "different" : "same";
  }
  out.checks.push_back(prompts);

  out.checks.push_back(setting("max_new_tokens", b.max_new_tokens.has_value(), text_of(b.max_new_tokens),
                               c.max_new_tokens.has_value(), text_of(c.max_new_tokens)));
  out.checks.push_back(setting("stop_sequences", b.stop_sequences.has_value(), text_of(b.stop_sequences),
                               c.stop_sequences.has_value(), text_of(c.stop_sequences)));
  out.checks.push_back(setting("temperature", b.temperature.has_value(), text_of(b.temperature),
                               c.temperature.has_value(), text_of(c.temperature)));
  out.checks.push_back(setting("top_p", b.top_p.has_value(), text_of(b.top_p), c.top_p.has_value(),
                               text_of(c.top_p)));
  out.checks.push_back(setting("num_fewshot", b.num_fewshot.has_value(), text_of(b.num_fewshot),
                               c.num_fewshot.has_value(), text_of(c.num_fewshot)));
  out.checks.push_back(setting("chat_template", !b.chat_template.empty(), b.chat_template,
                               !c.chat_template.empty(), c.chat_template));
  out.checks.push_back(setting("scoring_rule", !b.scoring_rule.empty(), b.scoring_rule, !c.scoring_rule.empty(),
                               c.scoring_rule));
  // The model is what a comparison changes: reported, never compared.
  out.checks.push_back(ComparabilityCheck{"model", b.model, c.model, "not_compared", 0.0});

  out.comparable = out.differing_aspects().empty();
  return out;
}

}  // namespace caploop
