// Which paired items each hypothesis of a plan is tested on: the plan's item keys resolved against the items
// two runs share.
//
// A hypothesis lists its items as "<task>:<id>" keys; only keys present in both runs can be tested, the others
// are counted as missing. The "rest" guard (kind "guard", no items, slice_tags containing "rest") is defined by
// exclusion: every paired item that is not an item of any target hypothesis.
// Contract: `paired` is sorted by key with unique keys; the result has one entry per plan hypothesis, in plan
// order, each with its items in key order. Throws caploop::Error naming `plan_file` and the JSON pointer of the
// offending field: kInput for a hypothesis kind other than "target"/"guard" or a hypothesis with no items that
// is not the rest guard; kConflict when the plan has target items but none of them is in both runs (the plan
// was made for other items than these runs evaluated). Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "mixture/mixture_plan.h"
#include "stats/paired_outcome.h"

namespace caploop {

struct HypothesisItems {
  std::vector<PairedOutcome> items;  // the paired outcomes tested, sorted by key
  int64_t missing = 0;               // planned keys not in both runs
  bool rest = false;                 // resolved by exclusion (the rest guard)
};

std::vector<HypothesisItems> resolve_hypothesis_items(const MixturePlan& plan, const std::string& plan_file,
                                                      std::span<const PairedOutcome> paired);

// True for the guard defined by exclusion (see the header comment).
bool is_rest_guard(const PlanHypothesis& hypothesis);

}  // namespace caploop
