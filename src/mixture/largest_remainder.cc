#include "mixture/largest_remainder.h"

#include <algorithm>

#include "core/error.h"

namespace caploop {

std::vector<int64_t> apportion_largest_remainder(int64_t total, const std::vector<int64_t>& weights) {
  using Wide = unsigned __int128;
  Wide weight_sum = 0;
  for (int64_t w : weights) {
    if (w < 0) throw Error(ErrorKind::kInternal, "negative weight in apportionment");
    weight_sum += static_cast<Wide>(w);
  }
  if (total < 0 || (total > 0 && weight_sum == 0))
    throw Error(ErrorKind::kInternal, "apportionment of tokens without weights");
  std::vector<int64_t> out(weights.size(), 0);
  if (total == 0) return out;
  std::vector<std::pair<Wide, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const Wide product = static_cast<Wide>(total) * static_cast<Wide>(weights[i]);
    out[i] = static_cast<int64_t>(product / weight_sum);
    given += out[i];
    remainders.emplace_back(product % weight_sum, i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (int64_t k = 0; k < total - given; ++k) out[remainders[static_cast<size_t>(k)].second] += 1;
  return out;
}

}  // namespace caploop
