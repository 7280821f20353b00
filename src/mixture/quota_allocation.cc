#include "mixture/quota_allocation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <ostream>

#include "core/enum_names.h"
#include "core/error.h"
#include "mixture/largest_remainder.h"

namespace caploop {

namespace {

constexpr EnumNames<QuotaCap, 3> kQuotaCaps = {{
    {QuotaCap::kNone, ""},
    {QuotaCap::kMaxEpochs, "max_epochs"},
    {QuotaCap::kMaxCategoryShare, "max_category_share"},
}};

}  // namespace

std::string_view quota_cap_name(QuotaCap cap) { return enum_name(kQuotaCaps, cap); }
std::optional<QuotaCap> parse_quota_cap(std::string_view name) { return parse_enum(kQuotaCaps, name); }
std::ostream& operator<<(std::ostream& out, QuotaCap cap) { return out << quota_cap_name(cap); }

namespace {

// Caps of the targets when they take `target_total` tokens (so the base takes budget - target_total).
struct Caps {
  std::vector<int64_t> cap;
  std::vector<bool> by_epochs;  // the epoch cap is the binding one
  int64_t sum = 0;
  long double exact_sum = 0;  // the same without rounding the epoch caps down
  double epoch_slope = 0.0;   // d(sum)/d(target_total) from the epoch-bound targets
};

Caps caps_at(const AllocationLimits& l, const std::vector<TargetDemand>& targets, int64_t target_total) {
  Caps c;
  const auto share_cap = static_cast<int64_t>(std::floor(l.max_category_share * static_cast<double>(l.budget_tokens)));
  // epochs left to a target document after its base draws: E - (B - T) / M, >= 0 since B <= E M.
  const long double room = (static_cast<long double>(l.max_epochs) * l.corpus_tokens -
                            static_cast<long double>(l.budget_tokens - target_total)) /
                           static_cast<long double>(l.corpus_tokens);
  for (const TargetDemand& t : targets) {
    int64_t cap = 0;
    bool by_epochs = false;
    if (t.demand > 0) {
      const long double exact_epoch_cap = std::max(room, 0.0L) * static_cast<long double>(t.available_tokens);
      const long double epoch_cap = std::floor(exact_epoch_cap);
      by_epochs = epoch_cap < static_cast<long double>(share_cap);
      cap = by_epochs ? static_cast<int64_t>(epoch_cap) : share_cap;
      c.exact_sum += by_epochs ? exact_epoch_cap : static_cast<long double>(share_cap);
      if (by_epochs) c.epoch_slope += static_cast<double>(t.available_tokens) / static_cast<double>(l.corpus_tokens);
    }
    c.cap.push_back(cap);
    c.by_epochs.push_back(by_epochs);
    c.sum += cap;
  }
  return c;
}

// The largest target total T <= start whose caps can hold T. The caps' sum h(T) is non-decreasing in T, and
// without rounding concave, so the root of its tangent line lies at or above the largest fixed point; each
// step moves to min(h(T), that root), never below the answer, and at least one token down.
int64_t consistent_target_total(const AllocationLimits& l, const std::vector<TargetDemand>& targets, int64_t start) {
  int64_t total = start;
  while (total > 0) {
    Caps c = caps_at(l, targets, total);
    if (c.sum >= total) break;
    int64_t next = c.sum;
    if (c.epoch_slope < 1.0 && c.exact_sum < static_cast<long double>(total)) {
      const long double tangent_root =
          static_cast<long double>(total) - (static_cast<long double>(total) - c.exact_sum) / (1.0L - c.epoch_slope);
      next = std::min(next, static_cast<int64_t>(std::floor(tangent_root + 1e-6L)));
    }
    total = std::clamp<int64_t>(next, 0, total - 1);
  }
  return total;
}

// Water-filling: `total` tokens in proportion to demand, no target above its cap; sum(caps) >= total.
std::vector<TargetQuota> water_fill(const std::vector<TargetDemand>& targets, const Caps& caps, int64_t total) {
  const size_t n = targets.size();
  std::vector<TargetQuota> out(n);
  std::vector<bool> open(n, false);
  for (size_t i = 0; i < n; ++i) open[i] = targets[i].demand > 0;
  int64_t remaining = total;
  for (;;) {
    long double open_demand = 0;
    for (size_t i = 0; i < n; ++i)
      if (open[i]) open_demand += targets[i].demand;
    if (open_demand <= 0) break;
    const long double per_demand = static_cast<long double>(remaining) / open_demand;
    bool capped_any = false;
    for (size_t i = 0; i < n; ++i) {
      if (!open[i] || static_cast<long double>(caps.cap[i]) > per_demand * targets[i].demand) continue;
      out[i].quota_tokens = caps.cap[i];
      out[i].capped_by = caps.by_epochs[i] ? QuotaCap::kMaxEpochs : QuotaCap::kMaxCategoryShare;
      remaining -= caps.cap[i];
      open[i] = false;
      capped_any = true;
    }
    if (capped_any) continue;
    // Nobody else reaches a cap: floors, then the leftover tokens to the largest fractional parts.
    std::vector<std::pair<long double, size_t>> fractions;
    int64_t given = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!open[i]) continue;
      const long double exact = per_demand * targets[i].demand;
      const auto whole = static_cast<int64_t>(std::floor(exact));
      out[i].quota_tokens = whole;
      given += whole;
      fractions.emplace_back(exact - static_cast<long double>(whole), i);
    }
    std::stable_sort(fractions.begin(), fractions.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    int64_t leftover = remaining - given;
    if (leftover < 0 || leftover > static_cast<int64_t>(fractions.size()))
      throw Error(ErrorKind::kInternal,
                  fmt::format("water-filling rounding left {} tokens for {} streams", leftover, fractions.size()));
    for (int64_t k = 0; k < leftover; ++k) out[fractions[static_cast<size_t>(k)].second].quota_tokens += 1;
    remaining = 0;
    break;
  }
  if (remaining != 0)
    throw Error(ErrorKind::kInternal, fmt::format("water-filling left {} of {} tokens unplaced", remaining, total));
  return out;
}

}  // namespace

Allocation allocate_quotas(const AllocationLimits& l, const std::vector<TargetDemand>& targets,
                           const std::vector<int64_t>& base_tokens) {
  if (l.budget_tokens <= 0) throw_input_error("the token budget must be positive", {});
  if (l.corpus_tokens <= 0) throw_input_error("the corpus statistics count no tokens: nothing to sample", {});
  const int64_t base_sum = std::accumulate(base_tokens.begin(), base_tokens.end(), int64_t{0});
  if (base_sum != l.corpus_tokens)
    throw_input_error(fmt::format("the base streams hold {} tokens but the corpus has {}: the base axis must give "
                                  "every document exactly one tag",
                                  base_sum, l.corpus_tokens),
                      {});
  const long double most = static_cast<long double>(l.max_epochs) * static_cast<long double>(l.corpus_tokens);
  if (static_cast<long double>(l.budget_tokens) > most)
    throw_input_error(
        fmt::format("budget {} tokens cannot be filled: corpus has {} tokens, max_epochs {} allows at "
                    "most {} tokens",
                    l.budget_tokens, l.corpus_tokens, l.max_epochs, static_cast<int64_t>(std::floor(most))),
        {});
  for (const TargetDemand& t : targets)
    if (t.available_tokens <= 0 || !(t.demand >= 0))
      throw Error(ErrorKind::kInternal, "a target stream without tokens or with a negative demand");

  Allocation a;
  const auto kept_for_base = static_cast<int64_t>(std::ceil(l.min_base_share * static_cast<double>(l.budget_tokens)));
  a.target_budget = std::clamp<int64_t>(l.budget_tokens - kept_for_base, 0, l.budget_tokens);
  const bool any_demand = std::any_of(targets.begin(), targets.end(), [](const auto& t) { return t.demand > 0; });
  a.target_tokens = any_demand ? consistent_target_total(l, targets, a.target_budget) : 0;
  a.targets = water_fill(targets, caps_at(l, targets, a.target_tokens), a.target_tokens);
  a.base_tokens = l.budget_tokens - a.target_tokens;
  a.base = apportion_largest_remainder(a.base_tokens, base_tokens);
  return a;
}

}  // namespace caploop
