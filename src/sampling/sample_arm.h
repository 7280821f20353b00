// Sample arms: which mixture of a plan `caploop sample --arm` draws. "targeted" is the plan's own streams
// (base and target); "control" is the plan's control arm (mixture/control_arm.h): the same token budget with
// the base proportions and no target streams.
//
// Contract: plan_for_arm() returns the plan `sample` draws for the arm: for "targeted" the plan unchanged; for
// "control" the plan with its streams replaced by the control streams and each shard's stream_tokens reduced
// to those streams, so every guarantee of the targeted draw holds for the control draw (seeded keys, byte-
// identical output for a seed, resumable, --shard and mpirun divisions, per-stream quotas). Control streams
// carry the base streams' names, so a document's key in a stream is the same in both arms: with the same seed
// both arms walk each stream's documents in the same seeded order (common random numbers), and their draws
// differ by the quotas, not by chance (up to the last documents near a quota, token_draw.h). Its sampling checksum
// differs from the targeted arm's, so each arm resumes only its own shards: draw each arm into its own --out. Throws
// caploop::Error: kUsage for an arm other than "targeted" or "control"; kConflict naming `plan_file` when the control
// arm is asked of a plan without one. Pure function.
#pragma once

#include <string>
#include <string_view>

#include "mixture/mixture_plan.h"

namespace caploop::sampling {

MixturePlan plan_for_arm(const MixturePlan& plan, std::string_view arm, const std::string& plan_file);

}  // namespace caploop::sampling
