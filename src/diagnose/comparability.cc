#include "diagnose/comparability.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <ostream>

#include "core/enum_names.h"

namespace caploop {

namespace {

constexpr EnumNames<ComparabilityStatus, 5> kStatuses = {{
    {ComparabilityStatus::kSame, "same"},
    {ComparabilityStatus::kDifferent, "different"},
    {ComparabilityStatus::kUnknown, "unknown"},
    {ComparabilityStatus::kSetAside, "set_aside"},
    {ComparabilityStatus::kNotCompared, "not_compared"},
}};

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

// One number when every task used the same, else "task=n, ..." (sorted by task).
std::string fewshot_text(const RunFacts& f) {
  if (f.num_fewshot) return text_of(f.num_fewshot);
  std::string out;
  for (const auto& [task, n] : f.num_fewshot_by_task) out += fmt::format("{}{}={}", out.empty() ? "" : ", ", task, n);
  return out;
}

ComparabilityCheck setting(std::string aspect, bool base_known, std::string base, bool cand_known, std::string cand) {
  ComparabilityCheck c{std::move(aspect), std::move(base), std::move(cand), ComparabilityStatus::kUnknown, 0.0};
  if (base_known && cand_known) {
    c.status = c.baseline == c.candidate ? ComparabilityStatus::kSame : ComparabilityStatus::kDifferent;
  }
  return c;
}

}  // namespace

std::vector<std::string> Comparability::differing_aspects() const {
  std::vector<std::string> out;
  for (const ComparabilityCheck& c : checks) {
    if (c.status == ComparabilityStatus::kDifferent) out.push_back(c.aspect);
  }
  return out;
}

std::string_view comparability_status_name(ComparabilityStatus status) { return enum_name(kStatuses, status); }

std::ostream& operator<<(std::ostream& out, ComparabilityStatus status) {
  return out << comparability_status_name(status);
}

Comparability check_comparability(const DiagnosisInput& input, const DiagnosisOptions& options) {
  Comparability out;
  const RunFacts& b = input.baseline;
  const RunFacts& c = input.candidate;

  const int64_t paired = static_cast<int64_t>(input.items.size());
  const int64_t unpaired = input.only_in_baseline + input.only_in_candidate;
  ComparabilityCheck items{"items", fmt::format("{}", paired + input.only_in_baseline),
                           fmt::format("{}", paired + input.only_in_candidate), ComparabilityStatus::kSame, 0.0};
  items.measure = static_cast<double>(unpaired) / static_cast<double>(paired + unpaired);
  if (items.measure > options.max_unpaired_share) items.status = ComparabilityStatus::kDifferent;
  out.checks.push_back(items);

  int64_t known = 0;
  int64_t mismatched = 0;
  double changed = 0.0;
  double changed_in_mismatched = 0.0;
  for (const PairedItem& item : input.items) {
    const double change = std::abs(item.cand_accuracy() - item.base_accuracy());
    changed += change;
    if (item.base_prompt_hash.empty() || item.cand_prompt_hash.empty()) continue;
    ++known;
    if (item.base_prompt_hash != item.cand_prompt_hash) {
      ++mismatched;
      changed_in_mismatched += change;
      out.differing_prompt_items.push_back(item.key);
    }
  }
  out.differing_prompt_change_share = changed > 0.0 ? changed_in_mismatched / changed : 0.0;
  ComparabilityCheck prompts{"prompts", "", "", ComparabilityStatus::kUnknown, 0.0};
  if (known > 0) {
    prompts.measure = static_cast<double>(mismatched) / static_cast<double>(known);
    prompts.baseline = fmt::format("{} prompts known", known);
    prompts.candidate = fmt::format("{} differ", mismatched);
    if (prompts.measure <= options.max_prompt_mismatch_share) {
      prompts.status = ComparabilityStatus::kSame;
    } else if (prompts.measure <= options.max_set_aside_prompt_share &&
               out.differing_prompt_change_share < options.min_concentrated_change_share &&
               mismatched < static_cast<int64_t>(input.items.size())) {
      prompts.status = ComparabilityStatus::kSetAside;
      prompts.candidate += fmt::format(" (set aside; they hold {:.1f}% of the changed items)",
                                       100.0 * out.differing_prompt_change_share);
      out.prompts_set_aside = true;
    } else {
      prompts.status = ComparabilityStatus::kDifferent;
    }
  }
  out.checks.push_back(prompts);

  out.checks.push_back(setting("max_new_tokens", b.max_new_tokens.has_value(), text_of(b.max_new_tokens),
                               c.max_new_tokens.has_value(), text_of(c.max_new_tokens)));
  out.checks.push_back(setting("stop_sequences", b.stop_sequences.has_value(), text_of(b.stop_sequences),
                               c.stop_sequences.has_value(), text_of(c.stop_sequences)));
  out.checks.push_back(setting("temperature", b.temperature.has_value(), text_of(b.temperature),
                               c.temperature.has_value(), text_of(c.temperature)));
  out.checks.push_back(setting("top_p", b.top_p.has_value(), text_of(b.top_p), c.top_p.has_value(), text_of(c.top_p)));
  out.checks.push_back(setting("num_fewshot", b.num_fewshot.has_value() || !b.num_fewshot_by_task.empty(),
                               fewshot_text(b), c.num_fewshot.has_value() || !c.num_fewshot_by_task.empty(),
                               fewshot_text(c)));
  out.checks.push_back(
      setting("chat_template", !b.chat_template.empty(), b.chat_template, !c.chat_template.empty(), c.chat_template));
  out.checks.push_back(
      setting("scoring_rule", !b.scoring_rule.empty(), b.scoring_rule, !c.scoring_rule.empty(), c.scoring_rule));
  // The model is what a comparison changes: reported, never compared.
  out.checks.push_back(ComparabilityCheck{"model", b.model, c.model, ComparabilityStatus::kNotCompared, 0.0});

  out.comparable = out.differing_aspects().empty();
  return out;
}

}  // namespace caploop
