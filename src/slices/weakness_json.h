// JSON form of mined weaknesses, the `weaknesses --json` output:
//   {"weaknesses": [{"tags": [...], "n", "accuracy", "ci": [lo, hi], "q_value", "items": ["<task>:<id>", ...],
//                    "p_value", "deficit", "impact", "complement_accuracy",
//                    "runs": [{"n", "accuracy", "ci", "complement_accuracy", "deficit", "p_value"}]}],
//    "mining": {"runs", "slices_enumerated", "slices_tested", "significant", "fdr", "fdr_method", "max_order",
//               "min_support", "refine_alpha"}}
// Writes one complete object at the writer's current position; deterministic. Never throws on valid results.
#pragma once

#include "core/json_writer.h"
#include "slices/weakness_miner.h"

namespace caploop {

void write_weaknesses_json(JsonWriter& json, const MiningResult& result);

}  // namespace caploop
