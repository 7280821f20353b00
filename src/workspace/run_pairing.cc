#include "workspace/run_pairing.h"

namespace caploop {

bool run_scored_item(const RunOutcomes& outcomes, int64_t item_id) {
  const auto it = outcomes.find(item_id);
  return it != outcomes.end() && it->second.samples > 0;
}

RunPairing pair_runs(std::span<const int64_t> item_ids, const RunOutcomes& base, const RunOutcomes& cand) {
  return pair_runs_by_position(
      item_ids.size(), [&](size_t i) { return run_scored_item(base, item_ids[i]); },
      [&](size_t i) { return run_scored_item(cand, item_ids[i]); });
}

RunPairing pair_runs_by_position(size_t n, const std::function<bool(size_t)>& base_scored,
                                 const std::function<bool(size_t)>& cand_scored) {
  RunPairing out;
  for (size_t i = 0; i < n; ++i) {
    const bool in_base = base_scored(i);
    const bool in_cand = cand_scored(i);
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
