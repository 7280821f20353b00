#include "slices/planted_outcomes.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "stats/random.h"

namespace caploop {

std::vector<ItemOutcome> draw_planted_outcomes(std::span<const int> planted_hits, double base, double d,
                                               int64_t samples, uint64_t seed) {
  if (!(base >= 0.0 && base <= 1.0) || !(d >= 0.0 && d <= 1.0) || samples < 1) {
    throw Error(ErrorKind::kInput,
                "planted outcomes need 0 <= base, d <= 1 and samples >= 1 (got base " + std::to_string(base) + ", d " +
                    std::to_string(d) + ", samples " + std::to_string(samples) + ")",
                SourceLocation{"", 0, "planted"});
  }
  Xoshiro256StarStar random(seed);
  std::vector<ItemOutcome> out(planted_hits.size());
  for (size_t i = 0; i < planted_hits.size(); ++i) {
    const double p = base * std::pow(d, planted_hits[i]);
    out[i].samples = samples;
    for (int64_t s = 0; s < samples; ++s) out[i].correct += random.uniform() < p ? 1 : 0;
  }
  return out;
}

InstanceScores score_reported_items(const MiningResult& result, std::span<const int> planted_hits) {
  std::vector<uint8_t> predicted(planted_hits.size(), 0);
  for (const Weakness& w : result.weaknesses) {
    for (uint32_t i : w.item_indices) {
      if (i < predicted.size()) predicted[i] = 1;
    }
  }
  InstanceScores s;
  for (size_t i = 0; i < planted_hits.size(); ++i) {
    const bool planted = planted_hits[i] > 0;
    s.predicted += predicted[i];
    s.planted += planted ? 1 : 0;
    s.true_positives += (planted && predicted[i]) ? 1 : 0;
  }
  s.precision = s.predicted > 0 ? static_cast<double>(s.true_positives) / static_cast<double>(s.predicted) : 0.0;
  s.recall = s.planted > 0 ? static_cast<double>(s.true_positives) / static_cast<double>(s.planted) : 0.0;
  s.f1 = s.precision + s.recall > 0.0 ? 2.0 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
  return s;
}

}  // namespace caploop
