// CheckpointComparison: the statistics of a baseline -> candidate change on paired items, before any verdict.
//
// compare_checkpoints() computes
//   - the overall paired difference (diagnose/paired_difference.h: McNemar's exact test for single-sample
//     runs, the paired t test over items otherwise);
//   - per-slice differences: slices are enumerated over the items' tags (slices/slice_lattice.h, up to
//     options.max_order conditions, at least options.min_support items); slices with identical item sets are
//     merged (the key a data team can act on names it, slices/slice_lattice.h names_slice_better; the others
//     are listed as equivalent, in the same order); q-values adjust
//     the slice p-values for the false discovery rate (Benjamini-Hochberg or -Yekutieli);
//   - whether the change is spread evenly: Cochran's Q over the per-cell deltas of the partition by the plain
//     dimension options.partition_key (every item in exactly one cell; items without the dimension form the
//     cell "(none)"), and the loss breadth = share of cells whose delta is negative;
//   - the minimum detectable effect for n items (stats/paired_power.h) at the observed discordance rate
//     (share of items whose accuracy changed), floored at options.min_planning_discordance.
// Slices come back sorted by enumeration order (order, then key text): deterministic.
// Throws what validate_diagnosis_input and the statistics functions throw. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diagnose/diagnosis_input.h"
#include "diagnose/diagnosis_options.h"
#include "diagnose/paired_difference.h"
#include "slices/slice_lattice.h"
#include "stats/heterogeneity.h"

namespace caploop {

struct SliceDifference {
  SliceKey key;
  std::vector<SliceKey> equivalent;  // other conjunctions with exactly the same items
  std::vector<uint32_t> items;       // indices into DiagnosisInput::items, ascending
  PairedDifference difference;
  double q_value = 1.0;
};

struct PartitionCell {
  std::string value;
  PairedDifference difference;
};

struct CheckpointComparison {
  bool single_sample = true;
  PairedDifference overall;
  std::vector<SliceDifference> slices;  // every slice tested
  std::string partition_key;
  std::vector<PartitionCell> cells;  // sorted by value
  HeterogeneityResult heterogeneity;
  double loss_breadth = 0.0;               // cells with delta < 0, over cells
  double discordance_rate = 0.0;           // items whose accuracy changed, over items
  double planning_discordance = 0.0;       // max(discordance_rate, options.min_planning_discordance)
  double minimum_detectable_effect = 0.0;  // +inf when nothing is detectable
};

CheckpointComparison compare_checkpoints(const DiagnosisInput& input, const DiagnosisOptions& options);

}  // namespace caploop
