// Largest-remainder (Hamilton) apportionment: splitting an integer total, such as a token budget or a stream's
// remainder over shards, into integer parts proportional to integer weights. Used by the plan (base quotas,
// control arm) and by the sampler (a stream's remainder over the shards), so both round the same way.
//
// Contract: the parts sum to exactly `total`: each part gets floor(total x weight / sum of weights), then the
// tokens left go one each to the largest remainders, ties to the lower index. Exact integer arithmetic (128-bit
// products), pure. A negative total or weight, or a positive total over weights that sum to 0, is a programming
// error: throws caploop::Error kInternal. A total of 0 gives all zeros.
#pragma once

#include <cstdint>
#include <vector>

namespace caploop {

std::vector<int64_t> apportion_largest_remainder(int64_t total, const std::vector<int64_t>& weights);

}  // namespace caploop
