// Shard quotas: how a plan's per-stream token quotas are divided over the corpus shards, decided from the plan
// alone so that every division of work (threads, --shard I/N, mpirun ranks) gives each shard the same quota.
//
// Contract: apportion_largest_remainder() splits `total` into integer parts proportional to `weights` that sum
// to exactly `total` (Hamilton's method: floors first, then one more to the largest remainders, ties to the
// lower index). shard_remainder_quotas() applies it per stream to the stream's remainder_tokens with the
// shards' stream_tokens as weights, shards in path order (ties by path); the full epochs of a stream are not
// part of it: every shard draws all its documents of the stream full_epochs times. Both are pure functions;
// check_plan_for_sampling() throws caploop::Error (kInput) naming `plan_file` and the stream when the plan's
// numbers contradict each other (quota != full_epochs x available + remainder, shard tokens that do not add
// up to the stream's available tokens, negative counts).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mixture/mixture_plan.h"

namespace caploop::sampling {

std::vector<int64_t> apportion_largest_remainder(int64_t total, const std::vector<int64_t>& weights);

void check_plan_for_sampling(const MixturePlan& plan, const std::string& plan_file);

// quotas[s][k]: remainder tokens shard plan.corpus.shards[s] draws for stream plan.streams[k].
std::vector<std::vector<int64_t>> shard_remainder_quotas(const MixturePlan& plan);

}  // namespace caploop::sampling
