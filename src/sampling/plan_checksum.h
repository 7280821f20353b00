// Sampling plan checksum: the identity of everything in a MixturePlan that the draw depends on, recorded in
// every shard's done mark so that a rerun resumes only shards drawn from the same plan.
//
// Contract: sampling_plan_checksum() is FNV-1a 64 (core/fnv1a.h), as 16 lower-case hex digits, over a fixed
// text of the streams (name, tags, available tokens, quota, full epochs, remainder) and the corpus shards (path,
// statistics checksum, lines, documents, tokens, tokens per stream). Parts of the plan that do not change the
// sample (notes, hypotheses, slices, the weakness file) do not enter it, so a plan re-rendered or annotated
// keeps its checksum. Pure function.
#pragma once

#include <string>

#include "mixture/mixture_plan.h"

namespace caploop::sampling {

std::string sampling_plan_checksum(const MixturePlan& plan);

}  // namespace caploop::sampling
