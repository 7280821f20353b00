// Run pairing: which items two runs can be compared on — the one pairing of a baseline's and a candidate's
// per-item outcomes that diagnosis (workspace/diagnosis_job.h) and verification (workspace/verify_job.h) use.
//
// Contract: `item_ids` are the workspace items to consider (any order, no duplicates), typically every item
// either run evaluated. An item is scored by a run when its outcome map has it with samples > 0. Items both
// runs scored are paired, in the order of `item_ids`; an item only one run scored counts for that run
// (only_in_baseline or only_in_candidate); an item neither run scored counts nowhere. So paired +
// only_in_baseline is the number of items the baseline scored, and likewise for the candidate.
// Pure function over its arguments; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <vector>

#include "workspace/run_outcomes.h"

namespace caploop {

struct RunPairing {
  std::vector<size_t> paired;     // positions in item_ids of the items both runs scored, ascending
  int64_t only_in_baseline = 0;   // items the baseline scored and the candidate did not
  int64_t only_in_candidate = 0;  // items the candidate scored and the baseline did not
};

using RunOutcomes = std::map<int64_t, ItemRunOutcome>;

// True when `outcomes` has at least one scored sample of item `item_id`.
bool run_scored_item(const RunOutcomes& outcomes, int64_t item_id);

RunPairing pair_runs(std::span<const int64_t> item_ids, const RunOutcomes& base, const RunOutcomes& cand);

// The same over items 0..n-1 whose scoring each run reports by position (`base_scored(k)`: the baseline scored
// item k), for callers that hold per-item facts in vectors; pair_runs() is this over the outcome maps.
RunPairing pair_runs_by_position(size_t n, const std::function<bool(size_t)>& base_scored,
                                 const std::function<bool(size_t)>& cand_scored);

}  // namespace caploop
