#include "diagnose/paired_difference.h"

#include <vector>

namespace caploop {

bool is_single_sample(std::span<const PairedItem> items) { return all_single_sample(items); }

PairedDifference paired_difference(std::span<const PairedItem> items, std::span<const uint32_t> indices, bool binary,
                                   double confidence) {
  std::vector<double> base;
  std::vector<double> cand;
  base.reserve(indices.size());
  cand.reserve(indices.size());
  for (uint32_t index : indices) {
    base.push_back(items[index].base_accuracy());
    cand.push_back(items[index].cand_accuracy());
  }
  return compare_paired(base, cand, binary, PairedLevel::two_sided(confidence));
}

}  // namespace caploop
