// Planted-weakness evaluation (the protocol of EvalTree, Zeng et al. 2025): synthetic outcomes in which chosen
// item sets are made weak, and instance-level precision / recall of what a miner reports against them.
//
// draw_planted_outcomes(): item i gets `samples` Bernoulli draws with P(correct) = base * d^h_i, h_i the number
// of planted sets the item falls in, from a Xoshiro256** stream seeded with `seed` (same seed, same outcomes).
// score_reported_items(): the predicted set is the union of the reported weaknesses' items; precision, recall
// and F1 are taken against the union of planted sets (items with h_i > 0). Empty sets give 0 for the ratio.
// Contract: 0 <= base <= 1, 0 <= d <= 1, samples >= 1, else caploop::Error kInput. Pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "slices/slice_stats.h"
#include "slices/weakness_miner.h"

namespace caploop {

std::vector<ItemOutcome> draw_planted_outcomes(std::span<const int> planted_hits, double base, double d,
                                               int64_t samples, uint64_t seed);

struct InstanceScores {
  int64_t predicted = 0;
  int64_t planted = 0;
  int64_t true_positives = 0;
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

InstanceScores score_reported_items(const MiningResult& result, std::span<const int> planted_hits);

}  // namespace caploop
