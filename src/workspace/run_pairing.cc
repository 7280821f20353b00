#include "workspace/run_pairing.h"

namespace caploop {

bool run_scored_item(const RunOutcomes& outcomes, int64_t item_id) {
  const auto it = outcomes.find(item_id);
  return it != outcomes.end() && it->second.samples > 0;
}

RunPairing pair_runs(std::span<const int64_t> item_ids, const RunOutcomes& base, const RunOutcomes& cand) {
  RunPairing out;
  for (size_t i = 0; i < item_ids.size(); ++i) {
    const bool in_base = run_scored_item(base, item_ids[i]);
    const bool in_cand = run_scored_item(cand, item_ids[i]);
    if (in_base && in_cand) {
      out.paired.push_back(i);
    } else if (in_base) {
      ++out.only_in_baseline;
    } else if (in_cand) {
      ++out.only_in_candidate;
    }
  }
  return out;
}

}  // namespace caploop
