#include "mixture/plan_hypotheses.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "mixture/hypothesis_metric.h"
#include "stats/paired_power.h"

namespace caploop {

double minimum_detectable_improvement(int64_t n, double baseline_accuracy, double alpha, double power) {
  const double inf = std::numeric_limits<double>::infinity();
  const double p = std::clamp(baseline_accuracy, 0.0, 1.0);
  const double most = 1.0 - p;
  if (n < 1 || most <= 0) return inf;
  const PowerTarget target{alpha, power, /*two_sided=*/false};
  const auto discordance = [&](double d) { return std::clamp(p * (1 - p - d) + (p + d) * (1 - p), 0.0, 1.0); };
  const auto detectable = [&](double d) {
    return paired_proportion_minimum_detectable_effect(n, discordance(d), target) <= d;
  };
  if (!detectable(most)) return inf;
  double lo = 0.0;
  double hi = most;
  for (int i = 0; i < 100 && hi - lo > 1e-12; ++i) {
    const double mid = 0.5 * (lo + hi);
    (detectable(mid) ? hi : lo) = mid;
  }
  return hi;
}

std::vector<PlanHypothesis> plan_hypotheses(const std::vector<PlanSlice>& slices,
                                            const std::vector<PlanStream>& streams, const PlanOptions& options) {
  std::vector<PlanHypothesis> out;
  auto next_id = [&] { return "H" + std::to_string(out.size() + 1); };
  for (const PlanSlice& slice : slices) {
    if (slice.status != SliceStatus::kMapped) continue;
    PlanHypothesis h;
    h.id = next_id();
    h.kind = "target";
    h.slice_tags = slice.tags;
    h.items = slice.items;
    h.n = slice.n;
    h.baseline_accuracy = slice.baseline_accuracy;
    h.alpha = options.alpha;
    h.min_effect = minimum_detectable_improvement(slice.n, slice.baseline_accuracy, options.alpha, options.power);
    for (const PlanStream& stream : streams)
      if (std::any_of(stream.links.begin(), stream.links.end(),
                      [&](const PlanLink& l) { return l.slice_id == slice.id; }))
        h.streams.push_back(stream.name);
    const std::string effect = std::isfinite(h.min_effect)
                                   ? fmt::format("by at least {:.1f} points", 100 * h.min_effect)
                                   : std::string("(no gain is detectable on so few items)");
    h.description = fmt::format("slice {} ({}): accuracy {:.1f}% on {} items rises {} after training on {}", slice.id,
                                fmt::join(slice.tags, ", "), 100 * slice.baseline_accuracy, slice.n, effect,
                                fmt::join(h.streams, ", "));
    out.push_back(std::move(h));
  }
  PlanHypothesis guard;
  guard.id = next_id();
  guard.kind = "guard";
  guard.slice_tags = {"rest"};
  guard.margin = options.guard_margin;
  guard.alpha = options.alpha;
  guard.description =
      fmt::format("every other item of the runs (not in a target hypothesis) loses at most {:.1f} accuracy points",
                  100 * options.guard_margin);
  out.push_back(std::move(guard));
  return out;
}

int64_t items_needed(double gain, double baseline_accuracy, double alpha, double power) {
  const auto enough = [&](int64_t n) {
    return minimum_detectable_improvement(n, baseline_accuracy, alpha, power) <= gain;
  };
  int64_t hi = 1;
  while (!enough(hi)) {
    if (hi > 10'000'000) return -1;
    hi *= 2;
  }
  int64_t lo = hi / 2;  // not enough (or 0)
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (enough(mid) ? hi : lo) = mid;
  }
  return hi;
}

namespace {

bool aime_items(const PlanHypothesis& h) {
  return !h.items.empty() && std::all_of(h.items.begin(), h.items.end(), [](const std::string& key) {
    std::string task = key.substr(0, key.find(':'));
    std::transform(task.begin(), task.end(), task.begin(), [](unsigned char c) { return std::tolower(c); });
    return task.find("aime") != std::string::npos;
  });
}

std::string operation_tags(const PlanHypothesis& h) {
  std::vector<std::string> ops;
  for (const std::string& t : h.slice_tags)
    if (t.rfind("operation=", 0) == 0) ops.push_back(t);
  return ops.empty() ? fmt::format("{}", fmt::join(h.slice_tags, ", ")) : fmt::format("{}", fmt::join(ops, ", "));
}

}  // namespace

std::vector<std::string> detectability_notes(const std::vector<PlanHypothesis>& hypotheses, const PlanOptions& o) {
  std::vector<std::string> notes;
  for (const PlanHypothesis& h : hypotheses) {
    if (h.kind != "target") continue;
    if (!std::isfinite(h.min_effect)) {
      notes.push_back(
          fmt::format("{} ({} items): no improvement is detectable on so few items at alpha {} and "
                      "power {}; verify cannot confirm it",
                      h.id, h.n, o.alpha, o.power));
      continue;
    }
    if (h.min_effect <= o.plausible_gain) continue;
    const double doubled = minimum_detectable_improvement(2 * h.n, h.baseline_accuracy, o.alpha, o.power);
    const int64_t needed = items_needed(o.plausible_gain, h.baseline_accuracy, o.alpha, o.power);
    const std::string pooled = aime_items(h) ? fmt::format("Pooling AIME 2024 + 2025 ({} problems)", 2 * h.n)
                                             : fmt::format("Twice the items ({})", 2 * h.n);
    notes.push_back(fmt::format(
        "{} ({} items, {} {:.1f}%): the smallest gain detectable at alpha {} and power {} is {:.1f} points, more "
        "than the {:.1f} points a data change plausibly buys: this benchmark cannot show the effect. {} detects "
        "{}; {:.1f} points need {} items: pool sibling benchmarks or use a larger one sharing the slice's operation "
        "tags ({})",
        h.id, h.n, h.metric, 100 * h.baseline_accuracy, o.alpha, o.power, 100 * h.min_effect, 100 * o.plausible_gain,
        pooled, std::isfinite(doubled) ? fmt::format("{:.1f} points", 100 * doubled) : std::string("no gain"),
        100 * o.plausible_gain, needed > 0 ? fmt::format("about {}", needed) : std::string("more than 10^7"),
        operation_tags(h)));
  }
  return notes;
}

void set_target_metric(std::vector<PlanHypothesis>& hypotheses, const std::string& metric,
                       const std::string& slice_id) {
  try {
    pass_k_of_metric(metric, SourceLocation{"", 0, "metric"});
  } catch (const Error& e) {
    throw Error(ErrorKind::kUsage, e.message());
  }
  bool found = false;
  for (PlanHypothesis& h : hypotheses) {
    if (h.kind != "target") continue;
    if (!slice_id.empty() && h.description.rfind("slice " + slice_id + " ", 0) != 0) continue;
    found = true;
    if (h.metric == metric) continue;
    const std::string from = "accuracy ";
    const size_t stated = h.metric == "accuracy" ? std::string::npos : h.description.find(h.metric + " (accuracy ");
    if (stated != std::string::npos) {
      h.description.replace(stated, h.metric.size(), metric);
    } else if (h.description.find(from) != std::string::npos && h.description.find(" on ") != std::string::npos) {
      h.description.insert(h.description.find(" on ", h.description.find(from)), ")");
      h.description.replace(h.description.find(from), from.size(), metric + " (accuracy ");
    }
    h.metric = metric;
  }
  if (!found && !slice_id.empty())
    throw Error(ErrorKind::kUsage, fmt::format("no target hypothesis is about slice {}", slice_id));
}

}  // namespace caploop
