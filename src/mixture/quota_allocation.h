// Quota allocation: the arithmetic of a plan. Divides an integer token budget between target streams (raised in
// proportion to their demand, up to their caps) and base streams (the corpus's own mixture), so that the quotas
// are integers that sum to the budget exactly.
//
// Contract (budget B, corpus tokens M, max epochs E, max category share s, min base share m):
//  - the targets share at most T0 = B - ceil(m B) tokens; a target's quota q is at most floor(s B) and at most
//    floor((E - r) a) for its available tokens a, where r = base tokens / M is the rate at which the base
//    draws pass over every document (a target document is drawn by its base stream too);
//  - within those caps the targets get T0 in proportion to demand (water-filling); when the caps cannot
//    absorb T0, every target stays at its cap and the largest consistent total is taken (the caps grow as the
//    base shrinks, so this is a fixed point, solved exactly on integers); the rest goes to the base;
//  - base quotas are the base budget times each base stream's share of M, rounded by largest remainder
//    (ties by position), so they sum to the base budget exactly; target quotas are rounded the same way;
//  - invalid inputs (B <= 0, M <= 0, base tokens that do not sum to M, E x M < B, a target with no tokens)
//    throw caploop::Error (kInput); the caller checks option ranges first. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caploop {

// What capped a target stream's quota: nothing, the epoch limit or the category share limit.
enum class QuotaCap { kNone, kMaxEpochs, kMaxCategoryShare };

// "", "max_epochs", "max_category_share" (as plans and outputs spell them; "" for kNone). parse_quota_cap()
// accepts exactly these and gives std::nullopt for anything else.
std::string_view quota_cap_name(QuotaCap cap);
std::optional<QuotaCap> parse_quota_cap(std::string_view name);
std::ostream& operator<<(std::ostream& out, QuotaCap cap);

struct AllocationLimits {
  int64_t budget_tokens = 0;
  int64_t corpus_tokens = 0;
  double max_epochs = 4.0;
  double max_category_share = 0.25;
  double min_base_share = 0.5;
};

struct TargetDemand {
  double demand = 0.0;           // >= 0
  int64_t available_tokens = 0;  // > 0
};

struct TargetQuota {
  int64_t quota_tokens = 0;
  QuotaCap capped_by = QuotaCap::kNone;
};

struct Allocation {
  std::vector<TargetQuota> targets;  // same order as given
  std::vector<int64_t> base;         // same order as given
  int64_t target_budget = 0;         // T0: what the targets could have taken
  int64_t target_tokens = 0;         // what they took
  int64_t base_tokens = 0;           // budget - target_tokens
};

Allocation allocate_quotas(const AllocationLimits& limits, const std::vector<TargetDemand>& targets,
                           const std::vector<int64_t>& base_tokens);

}  // namespace caploop
