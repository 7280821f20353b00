#include "eval/rules_harness.h"

#include <cmath>

namespace caploop {
namespace {

class HarnessMetricRule : public ScoringRule {
 public:
  explicit HarnessMetricRule(std::string_view name) : name_(name), metric_(name.substr(kHarnessRulePrefix.size())) {
    size_t comma = metric_.find(',');
    filter_ = comma == std::string::npos ? "none" : metric_.substr(comma + 1);
    description_ = "The harness's own per-record metric \"" + metric_ +
                   "\": correct when it logged a value >= 0.5, no answer when it logged none.";
  }
  std::string_view name() const override { return name_; }
  int version() const override { return 1; }
  std::string_view description() const override { return description_; }
  std::string_view harness_metric() const override { return metric_; }
  Extraction extract(std::string_view) const override { return {}; }
  bool judge(std::string_view, std::string_view) const override { return false; }
  bool reads_harness_values() const override { return true; }
  Score score_evidence(const ResponseEvidence& r) const override {
    Score s;
    if (!r.harness_metrics) return s;
    for (const auto& [metric, value] : *r.harness_metrics) {
      if (metric != metric_ || std::isnan(value)) continue;
      s.extraction.found = true;
      s.extraction.n_statements = 1;
      s.extraction.statement_end = r.text.size();
      if (const std::string* v = r.filtered_value(filter_)) s.extraction.answer = *v;
      s.correct = value >= 0.5;
      break;
    }
    return s;
  }

 private:
  std::string name_, metric_, filter_, description_;
};

}  // namespace

std::unique_ptr<ScoringRule> make_harness_metric_rule(std::string_view name) {
  if (!name.starts_with(kHarnessRulePrefix) || name.size() == kHarnessRulePrefix.size()) return nullptr;
  return std::make_unique<HarnessMetricRule>(name);
}

}  // namespace caploop
