#include "sampling/shard_quota.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/error.h"

namespace caploop::sampling {

std::vector<int64_t> apportion_largest_remainder(int64_t total, const std::vector<int64_t>& weights) {
  if (total < 0) throw Error(ErrorKind::kInternal, "apportion_largest_remainder: negative total");
  std::vector<int64_t> parts(weights.size(), 0);
  __int128 sum = 0;
  for (int64_t w : weights) {
    if (w < 0) throw Error(ErrorKind::kInternal, "apportion_largest_remainder: negative weight");
    sum += w;
  }
  if (total == 0) return parts;
  if (sum == 0) throw Error(ErrorKind::kInternal, "apportion_largest_remainder: nothing to apportion over");
  std::vector<__int128> remainders(weights.size());
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    __int128 product = static_cast<__int128>(total) * weights[i];
    parts[i] = static_cast<int64_t>(product / sum);
    remainders[i] = product % sum;
    given += parts[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (int64_t left = total - given, i = 0; left > 0; --left, ++i) ++parts[order[static_cast<size_t>(i)]];
  return parts;
}

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
           fmt::format("stream '{}': quota {} != full_epochs {} x available {} + remainder {}", s.name,
                       s.quota_tokens, s.full_epochs, s.available_tokens, s.remainder_tokens));
    if (s.remainder_tokens > 0 && s.remainder_tokens >= s.available_tokens)
      fail(where + "/remainder_tokens", fmt::format("stream '{}': remainder {} is not less than the {} available tokens",
                                                    s.name, s.remainder_tokens, s.available_tokens));
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
