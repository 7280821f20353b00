#include "diagnose/diagnosis_slice.h"

#include <algorithm>
#include <cmath>

#include "diagnose/paired_difference.h"
#include "slices/operation_decomposition.h"
#include "slices/slice_explanation.h"

namespace caploop {

namespace {

SliceResidual residual_of(const ResidualEffect& r, double q) {
  return SliceResidual{r.n, r.effect, r.ci, r.p_value, q};
}

// One-sided p of a change in `direction` (-1 loss, +1 gain) from the two-sided paired test.
double directed_p(const PairedDifference& d, int direction) {
  if (d.n == 0) return 1.0;
  const bool same = direction < 0 ? d.delta < 0.0 : d.delta > 0.0;
  return same ? d.p_value : 1.0;
}

std::vector<OperationShare> operation_shares(const OperationDecomposition& decomposition,
                                             std::span<const PairedItem> items, bool binary, double confidence) {
  std::vector<OperationShare> out;
  for (const OperationPart& part : decomposition.parts) {
    const PairedDifference d = paired_difference(items, part.items, binary, confidence);
    OperationShare s;
    s.tags = part.tags();
    s.n = d.n;
    s.base_accuracy = d.base_accuracy;
    s.accuracy = d.cand_accuracy;
    s.deficit = -d.delta;
    s.q_value = part.q_value;
    s.deficit_share = part.loss_share;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::vector<DiagnosisSlice> report_minimal_slices(const std::vector<const SliceDifference*>& chosen,
                                                  const DiagnosisInput& input, double overall_delta,
                                                  const DiagnosisOptions& options) {
  if (chosen.empty()) return {};
  // Strongest evidence first: the slice whose change is least likely by chance holds the most signal for its
  // noise (a whole weak subject before its levels, a weak task before the broad output format around it); then
  // the larger change, the actionable name, the key.
  std::vector<const SliceDifference*> ranked = chosen;
  std::stable_sort(ranked.begin(), ranked.end(), [](const SliceDifference* a, const SliceDifference* b) {
    if (a->difference.p_value != b->difference.p_value) return a->difference.p_value < b->difference.p_value;
    const double da = std::abs(a->difference.delta), db = std::abs(b->difference.delta);
    if (da != db) return da > db;
    return names_slice_better(a->key, b->key);
  });
  const bool binary = is_single_sample(input.items);
  const int direction = ranked.front()->difference.delta < 0.0 ? -1 : 1;
  std::vector<std::vector<uint32_t>> item_sets;
  item_sets.reserve(ranked.size());
  for (const SliceDifference* s : ranked) item_sets.push_back(s->items);
  const ResidualTest test = [&](std::span<const uint32_t> residual) {
    const PairedDifference d = paired_difference(input.items, residual, binary, options.confidence);
    return ResidualEffect{d.n, d.delta, d.ci, directed_p(d, direction), d.standard_error};
  };
  const SliceExplanation explanation =
      explain_minimally(item_sets, input.items.size(), test, options.fdr, options.fdr_method, direction);

  std::vector<ItemTags> tags;
  tags.reserve(input.items.size());
  for (const PairedItem& item : input.items) tags.push_back(item.tags);
  const auto part_test = [&](std::span<const uint32_t> part) {
    const PairedDifference d = paired_difference(input.items, part, binary, options.confidence);
    const bool lost = d.delta < 0.0;
    return PartTest{d.cand_accuracy, -d.delta, d.standard_error, lost ? d.p_value / 2.0 : 1.0 - d.p_value / 2.0};
  };

  std::vector<DiagnosisSlice> out;
  const size_t limit = std::min(explanation.findings.size(), static_cast<size_t>(options.max_reported_slices));
  for (size_t f = 0; f < limit; ++f) {
    const Finding& finding = explanation.findings[f];
    const SliceDifference& s = *ranked[finding.candidate];
    DiagnosisSlice d;
    d.tags = s.key.tags();
    for (const SliceKey& k : s.equivalent) d.equivalent.push_back(k.tags());
    d.n = s.difference.n;
    d.base_accuracy = s.difference.base_accuracy;
    d.cand_accuracy = s.difference.cand_accuracy;
    d.delta = s.difference.delta;
    d.excess_delta = s.difference.delta - overall_delta;
    d.ci = s.difference.ci;
    d.p_value = s.difference.p_value;
    d.q_value = s.q_value;
    d.items.reserve(s.items.size());
    for (uint32_t i : s.items) d.items.push_back(input.items[i].key);
    d.residual = residual_of(finding.residual, finding.residual_q);
    for (const ExplainedCandidate& e : finding.explains) {
      const SliceDifference& x = *ranked[e.candidate];
      d.explains.push_back(ExplainedSlice{x.key.tags(), e.relation, x.difference.n, e.overlap, x.difference.delta,
                                          x.q_value, residual_of(e.residual, e.residual_q)});
    }
    const OperationDecomposition decomposition = decompose_by_operation(s.items, tags, part_test, options.alpha);
    d.operations = operation_shares(decomposition, input.items, binary, options.confidence);
    d.split = decomposition.split;
    d.operations_heterogeneity_p = decomposition.heterogeneity_p;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace caploop
