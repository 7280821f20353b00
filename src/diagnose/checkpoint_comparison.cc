#include "diagnose/checkpoint_comparison.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <span>

#include "stats/multiple_testing.h"
#include "stats/paired_power.h"

namespace caploop {

namespace {

std::vector<SliceDifference> compare_slices(const DiagnosisInput& input, const DiagnosisOptions& options, bool binary) {
  std::vector<const ItemTags*> tags;  // the items' own tags, not copies (the pairing's largest part)
  tags.reserve(input.items.size());
  for (const PairedItem& item : input.items) tags.push_back(&item.item_tags());
  LatticeOptions lattice;
  lattice.max_order = options.max_order;
  lattice.min_support = options.min_support;
  std::vector<Slice> slices = enumerate_slices(tags, lattice);

  std::vector<SliceDifference> out;
  // item set -> position in `out`; the keys view the item lists kept in `out` (a moved vector keeps its buffer),
  // so each slice's item list is held once.
  const auto item_order = [](std::span<const uint32_t> a, std::span<const uint32_t> b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  };
  std::map<std::span<const uint32_t>, size_t, decltype(item_order)> by_items(item_order);
  for (Slice& slice : slices) {
    auto it = by_items.find(std::span<const uint32_t>(slice.items));
    const bool inserted = it == by_items.end();
    if (!inserted) {
      SliceDifference& same = out[it->second];
      if (names_slice_better(slice.key, same.key)) std::swap(slice.key, same.key);
      same.equivalent.push_back(std::move(slice.key));
      std::vector<uint32_t>().swap(slice.items);  // a duplicate list: freed now, not when `slices` goes
      continue;
    }
    SliceDifference d;
    d.key = std::move(slice.key);
    d.items = std::move(slice.items);
    d.difference = paired_difference(input.items, d.items, binary, options.confidence);
    out.push_back(std::move(d));
    by_items.emplace(std::span<const uint32_t>(out.back().items), out.size() - 1);
  }
  std::vector<double> p_values;
  p_values.reserve(out.size());
  for (const SliceDifference& d : out) p_values.push_back(d.difference.p_value);
  const std::vector<double> q = options.fdr_method == FdrMethod::kBenjaminiYekutieli ? benjamini_yekutieli(p_values)
                                                                                     : benjamini_hochberg(p_values);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].q_value = q[i];
    std::sort(out[i].equivalent.begin(), out[i].equivalent.end(), names_slice_better);
  }
  return out;
}

}  // namespace

CheckpointComparison compare_checkpoints(const DiagnosisInput& input, const DiagnosisOptions& options) {
  validate_diagnosis_input(input);
  options.validate();
  CheckpointComparison out;
  out.single_sample = is_single_sample(input.items);
  std::vector<uint32_t> all(input.items.size());
  std::iota(all.begin(), all.end(), 0u);
  out.overall = paired_difference(input.items, all, out.single_sample, options.confidence);
  out.slices = compare_slices(input, options, out.single_sample);

  // Evenness over the partition cells.
  out.partition_key = options.partition_key;
  std::map<std::string, std::vector<uint32_t>> cells;
  for (uint32_t i = 0; i < input.items.size(); ++i) {
    const auto& dims = input.items[i].item_tags().dims;
    auto it = dims.find(options.partition_key);
    cells[it == dims.end() ? std::string("(none)") : it->second].push_back(i);
  }
  std::vector<SliceEffect> effects;
  int64_t cells_with_loss = 0;
  for (auto& [value, indices] : cells) {
    PartitionCell cell{value, paired_difference(input.items, indices, out.single_sample, options.confidence)};
    effects.push_back(SliceEffect{cell.difference.delta, cell.difference.standard_error});
    if (cell.difference.delta < 0.0) ++cells_with_loss;
    out.cells.push_back(std::move(cell));
  }
  out.heterogeneity = cochran_q_test(effects);
  out.loss_breadth = static_cast<double>(cells_with_loss) / static_cast<double>(out.cells.size());

  // Power at the observed discordance.
  const double n = static_cast<double>(out.overall.n);
  out.discordance_rate = static_cast<double>(out.overall.lost + out.overall.gained) / n;
  out.planning_discordance = std::max(out.discordance_rate, options.min_planning_discordance);
  PowerTarget target;
  target.alpha = options.alpha;
  target.power = options.power;
  target.two_sided = true;
  out.minimum_detectable_effect =
      paired_proportion_minimum_detectable_effect(out.overall.n, out.planning_discordance, target);
  return out;
}

}  // namespace caploop
