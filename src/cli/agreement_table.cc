#include "cli/agreement_table.h"

#include <fmt/format.h>

#include <cstdio>

#include "cli/text_table.h"

namespace caploop::cli {

namespace {
std::string percent_or_dash(const std::optional<double>& v) { return v ? fmt::format("{:.1f}", 100 * *v) : "-"; }
}  // namespace

void print_agreement(const RunSummary& s) {
  bool any = false;
  for (const auto& r : s.rows) any = any || !r.harness_metric.empty() || !r.warnings.empty();
  if (!any) return;
  TextTable t({"benchmark", "task", "rule", "caploop%", "harness metric", "harness%", "reported%", "agree%", "items"});
  for (const auto& r : s.rows) {
    if (r.task == "*") continue;
    t.add_row({r.benchmark, r.task, r.rule, fmt::format("{:.1f}", 100 * r.first_sample_accuracy),
               r.harness_metric.empty() ? "-" : r.harness_metric, percent_or_dash(r.harness_accuracy),
               percent_or_dash(r.harness_aggregate), percent_or_dash(r.agreement), std::to_string(r.agreement_items)});
  }
  fmt::print("caploop beside the harness (first sample per item)\n{}", t.render());
  std::fflush(stdout);
  for (const auto& r : s.rows) {
    for (const auto& w : r.warnings) fmt::print(stderr, "WARNING: {}\n", w);
  }
}

}  // namespace caploop::cli
