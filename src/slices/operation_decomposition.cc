#include "slices/operation_decomposition.h"

#include <algorithm>
#include <map>

#include "core/error.h"
#include "stats/heterogeneity.h"
#include "stats/multiple_testing.h"

namespace caploop {

std::vector<std::string> OperationPart::tags() const {
  std::vector<std::string> out;
  for (const std::string& op : operations) out.push_back("operation=" + op);
  return out;
}

namespace {

const ItemTags& item_at(std::span<const ItemTags> items, size_t i) { return items[i]; }
const ItemTags& item_at(std::span<const ItemTags* const> items, size_t i) { return *items[i]; }

template <typename Items>
OperationDecomposition decompose_by_operation_of(std::span<const uint32_t> slice_items, Items items,
                                                 const std::function<PartTest(std::span<const uint32_t>)>& test,
                                                 double alpha) {
  if (!(alpha > 0.0 && alpha < 1.0)) {
    throw Error(ErrorKind::kInput, "alpha must lie in (0, 1)", SourceLocation{"", 0, "alpha"});
  }
  std::map<std::vector<std::string>, std::vector<uint32_t>> by_operations;
  for (uint32_t i : slice_items) {
    if (i >= items.size()) {
      throw Error(ErrorKind::kInput, "slice item index beyond the items", SourceLocation{"", 0, "items"});
    }
    by_operations[item_at(items, i).values(Axis::kOperation)].push_back(i);
  }
  OperationDecomposition out;
  std::vector<double> p;
  std::vector<SliceEffect> effects;
  double total_loss = 0.0;
  for (auto& [operations, part_items] : by_operations) {
    OperationPart part;
    part.operations = operations;
    part.items = std::move(part_items);
    part.stats = test(part.items);
    p.push_back(part.stats.p_value);
    effects.push_back(SliceEffect{part.stats.loss, part.stats.standard_error});
    if (part.stats.loss > 0.0) total_loss += part.stats.loss * static_cast<double>(part.items.size());
    out.parts.push_back(std::move(part));
  }
  const std::vector<double> q = benjamini_hochberg(p);
  for (size_t k = 0; k < out.parts.size(); ++k) {
    OperationPart& part = out.parts[k];
    part.q_value = q[k];
    if (part.stats.loss > 0.0 && total_loss > 0.0) {
      part.loss_share = part.stats.loss * static_cast<double>(part.items.size()) / total_loss;
    }
  }
  if (out.parts.size() >= 2) {
    out.heterogeneity_p = cochran_q_test(effects).p_value;
    out.split = out.heterogeneity_p <= alpha;
  }
  std::stable_sort(out.parts.begin(), out.parts.end(), [](const OperationPart& a, const OperationPart& b) {
    if (a.loss_share != b.loss_share) return a.loss_share > b.loss_share;
    return a.operations < b.operations;
  });
  return out;
}

}  // namespace

OperationDecomposition decompose_by_operation(std::span<const uint32_t> slice_items, std::span<const ItemTags> items,
                                              const std::function<PartTest(std::span<const uint32_t>)>& test,
                                              double alpha) {
  return decompose_by_operation_of(slice_items, items, test, alpha);
}

OperationDecomposition decompose_by_operation(std::span<const uint32_t> slice_items,
                                              std::span<const ItemTags* const> items,
                                              const std::function<PartTest(std::span<const uint32_t>)>& test,
                                              double alpha) {
  return decompose_by_operation_of(slice_items, items, test, alpha);
}

}  // namespace caploop
