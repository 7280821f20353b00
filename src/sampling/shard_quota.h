// Shard quotas: how a plan's per-stream token quotas are divided over the corpus shards, decided from the plan
// alone so that every division of work (threads, --shard I/N, mpirun ranks) gives each shard the same quota.
//
// Contract: shard_remainder_quotas() splits each stream's remainder_tokens over the shards with the plan's
// largest-remainder apportionment (mixture/largest_remainder.h), the shards' stream_tokens as weights, shards in
// path order (ties by path); the full epochs of a stream are not part of it: every shard draws all its documents
// of the stream full_epochs times. It is a pure function; check_plan_for_sampling() throws caploop::Error
// (kInput) naming `plan_file` and the stream when the plan's numbers contradict each other (quota != full_epochs
// x available + remainder, shard tokens that do not add up to the stream's available tokens, negative counts).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mixture/largest_remainder.h"
#include "mixture/mixture_plan.h"

namespace caploop::sampling {

void check_plan_for_sampling(const MixturePlan& plan, const std::string& plan_file);

// quotas[s][k]: remainder tokens shard plan.corpus.shards[s] draws for stream plan.streams[k].
std::vector<std::vector<int64_t>> shard_remainder_quotas(const MixturePlan& plan);

}  // namespace caploop::sampling
