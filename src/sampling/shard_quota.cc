#include "sampling/shard_quota.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "mixture/largest_remainder.h"

namespace caploop::sampling {

void check_plan_for_sampling(const MixturePlan& plan, const std::string& plan_file) {
  auto fail = [&](const std::string& field, const std::string& message) {
    throw_input_error(message, {plan_file, 0, field});
  };
  for (size_t k = 0; k < plan.streams.size(); ++k) {
    const PlanStream& s = plan.streams[k];
    const std::string where = fmt::format("/streams/{}", k);
    if (s.tags.empty()) fail(where + "/tags", fmt::format("stream '{}' names no tags", s.name));
    if (s.quota_tokens < 0 || s.full_epochs < 0 || s.remainder_tokens < 0 || s.available_tokens < 0)
      fail(where, fmt::format("stream '{}' has a negative token count", s.name));
    if (s.quota_tokens != s.full_epochs * s.available_tokens + s.remainder_tokens)
      fail(where + "/quota_tokens",
           fmt::format("stream '{}': quota {} != full_epochs {} x available {} + remainder {}", s.name, s.quota_tokens,
                       s.full_epochs, s.available_tokens, s.remainder_tokens));
    if (s.remainder_tokens > 0 && s.remainder_tokens >= s.available_tokens)
      fail(where + "/remainder_tokens",
           fmt::format("stream '{}': remainder {} is not less than the {} available tokens", s.name, s.remainder_tokens,
                       s.available_tokens));
    int64_t in_shards = 0;
    for (const PlanShard& shard : plan.corpus.shards) {
      auto it = shard.stream_tokens.find(s.name);
      if (it != shard.stream_tokens.end()) in_shards += it->second;
    }
    if (in_shards != s.available_tokens)
      fail(where + "/available_tokens",
           fmt::format("stream '{}': the shards hold {} tokens but the stream records {} available", s.name, in_shards,
                       s.available_tokens));
  }
  for (size_t i = 1; i < plan.corpus.shards.size(); ++i)
    if (!(plan.corpus.shards[i - 1].path < plan.corpus.shards[i].path))
      fail(fmt::format("/corpus/shards/{}/path", i),
           fmt::format("shards are not sorted by path or repeat one: '{}'", plan.corpus.shards[i].path));
}

std::vector<std::vector<int64_t>> shard_remainder_quotas(const MixturePlan& plan) {
  const auto& shards = plan.corpus.shards;
  std::vector<std::vector<int64_t>> quotas(shards.size(), std::vector<int64_t>(plan.streams.size(), 0));
  for (size_t k = 0; k < plan.streams.size(); ++k) {
    std::vector<int64_t> weights(shards.size(), 0);
    for (size_t s = 0; s < shards.size(); ++s) {
      auto it = shards[s].stream_tokens.find(plan.streams[k].name);
      if (it != shards[s].stream_tokens.end()) weights[s] = it->second;
    }
    std::vector<int64_t> parts = apportion_largest_remainder(plan.streams[k].remainder_tokens, weights);
    for (size_t s = 0; s < shards.size(); ++s) quotas[s][k] = parts[s];
  }
  return quotas;
}

}  // namespace caploop::sampling
