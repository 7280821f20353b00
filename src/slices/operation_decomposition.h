// Operation decomposition: a slice named on an axis the data side cannot act on (an output constraint, a
// background) read as the operations its items exercise, so that a weakness can be mapped to data through
// what the model has to do.
//
// decompose_by_operation() partitions a slice's items by their operation values: items whose (sorted) sets of
// assigned operation values are equal form one part (`multistep_arithmetic_two` items, tagged both
// `arithmetic.expression_evaluation` and `arithmetic.multi_step`, are one part; items without an operation
// form the part with no operations). The parts are disjoint and together hold every item of the slice.
// `test` gives each part's accuracy, its loss (the caller's effect: deficit against the complement, or the
// drop between two checkpoints; positive = worse), the loss's standard error (> 0) and a one-sided p-value
// that the part lost; q-values adjust the parts' p-values (Benjamini-Hochberg). loss_share is the part's
// n x loss over the sum of n x loss of the parts that lost (0 for parts that did not).
// The slice is a union of parts with significantly different accuracies (`split`) when it has at least two
// parts and Cochran's Q over the parts' losses has p <= alpha.
// Parts come back ordered by loss share (largest first), then by operations. Pure; deterministic.
// Contract: items ascending indices into `items`; alpha in (0, 1); test standard errors > 0 (else
// caploop::Error kInput, from the heterogeneity test).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "taxonomy/taggable_item.h"

namespace caploop {

struct PartTest {
  double accuracy = 0.0;
  double loss = 0.0;            // positive: the part is worse (deficit, or accuracy lost)
  double standard_error = 0.0;  // of `loss`, > 0
  double p_value = 1.0;         // one-sided: the part lost
};

struct OperationPart {
  std::vector<std::string> operations;  // the items' operation values; empty: items without an operation
  std::vector<uint32_t> items;          // ascending
  PartTest stats;
  double q_value = 1.0;
  double loss_share = 0.0;
  std::vector<std::string> tags() const;  // {"operation=<value>", ...}
};

struct OperationDecomposition {
  std::vector<OperationPart> parts;
  double heterogeneity_p = 1.0;  // Cochran's Q over the parts' losses (1 with one part)
  bool split = false;
};

OperationDecomposition decompose_by_operation(std::span<const uint32_t> slice_items, std::span<const ItemTags> items,
                                              const std::function<PartTest(std::span<const uint32_t>)>& test,
                                              double alpha);
// The same over pointers to items (none null), for callers that keep the tags inside larger records.
OperationDecomposition decompose_by_operation(std::span<const uint32_t> slice_items,
                                              std::span<const ItemTags* const> items,
                                              const std::function<PartTest(std::span<const uint32_t>)>& test,
                                              double alpha);

}  // namespace caploop
