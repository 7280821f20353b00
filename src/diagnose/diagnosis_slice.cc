#include "diagnose/diagnosis_slice.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <utility>

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

  std::vector<const ItemTags*> tags;  // the items' own tags, not copies (the pairing's largest part)
  tags.reserve(input.items.size());
  for (const PairedItem& item : input.items) tags.push_back(&item.item_tags());
  const auto part_test = [&](std::span<const uint32_t> part) {
    const PairedDifference d = paired_difference(input.items, part, binary, options.confidence);
    const bool lost = d.delta < 0.0;
    return PartTest{d.cand_accuracy, -d.delta, d.standard_error, lost ? d.p_value / 2.0 : 1.0 - d.p_value / 2.0};
  };

  // A slice as reported: its own numbers, its residual, its operation parts.
  const auto describe = [&](const SliceDifference& s, const SliceResidual& residual) {
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
    d.residual = residual;
    const OperationDecomposition decomposition = decompose_by_operation(s.items, tags, part_test, options.alpha);
    d.operations = operation_shares(decomposition, input.items, binary, options.confidence);
    d.split = decomposition.split;
    d.operations_heterogeneity_p = decomposition.heterogeneity_p;
    return std::pair{d, decomposition};
  };
  std::map<std::vector<uint32_t>, const SliceDifference*> slice_of_items;
  for (const SliceDifference* s : ranked) slice_of_items.emplace(s->items, s);

  std::vector<DiagnosisSlice> out;
  std::vector<uint32_t> covered_before;  // items of the findings above, ascending
  for (const Finding& finding : explanation.findings) {
    if (out.size() >= static_cast<size_t>(options.max_reported_slices)) break;
    const SliceDifference& s = *ranked[finding.candidate];
    auto [d, decomposition] = describe(s, residual_of(finding.residual, finding.residual_q));
    for (const ExplainedCandidate& e : finding.explains) {
      const SliceDifference& x = *ranked[e.candidate];
      d.explains.push_back(ExplainedSlice{x.key.tags(), e.relation, x.difference.n, e.overlap, x.difference.delta,
                                          x.q_value, residual_of(e.residual, e.residual_q)});
    }
    // A union of operation parts whose changes differ is reported as its parts that are significant slices of
    // their own (at least two), the union and what it explained listed under the part sharing most with them.
    std::vector<const SliceDifference*> parts;
    if (decomposition.split) {
      for (const OperationPart& part : decomposition.parts) {
        auto it = slice_of_items.find(part.items);
        if (part.q_value <= options.fdr && part.stats.loss * direction < 0.0 && it != slice_of_items.end()) {
          parts.push_back(it->second);
        }
      }
    }
    std::vector<uint32_t> merged;
    std::set_union(covered_before.begin(), covered_before.end(), s.items.begin(), s.items.end(),
                   std::back_inserter(merged));
    if (parts.size() < 2) {
      covered_before = std::move(merged);
      out.push_back(std::move(d));
      continue;
    }
    std::vector<DiagnosisSlice> described;
    const double family = static_cast<double>(std::max<size_t>(ranked.size(), 1));
    for (const SliceDifference* part : parts) {
      std::vector<uint32_t> residual;
      std::set_difference(part->items.begin(), part->items.end(), covered_before.begin(), covered_before.end(),
                          std::back_inserter(residual));
      const ResidualEffect r = residual.empty() ? ResidualEffect{} : test(residual);
      described.push_back(describe(*part, residual_of(r, std::min(1.0, r.p_value * family))).first);
    }
    const auto shared = [](const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
      std::vector<uint32_t> both;
      std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
      return static_cast<int64_t>(both.size());
    };
    const auto place = [&](ExplainedSlice e, const std::vector<uint32_t>& items) {
      size_t best = 0;
      int64_t best_overlap = -1;
      for (size_t k = 0; k < parts.size(); ++k) {
        const int64_t overlap = shared(items, parts[k]->items);
        if (overlap > best_overlap) best_overlap = overlap, best = k;
      }
      const auto n = static_cast<int64_t>(items.size()), part_n = static_cast<int64_t>(parts[best]->items.size());
      e.overlap = best_overlap;
      e.relation = best_overlap == part_n ? (n == part_n ? "alias" : "ancestor")
                                          : (best_overlap == n ? "descendant" : "overlap");
      if (items != parts[best]->items) described[best].explains.push_back(std::move(e));
    };
    place(ExplainedSlice{d.tags, "ancestor", d.n, 0, d.delta, d.q_value, d.residual}, s.items);
    for (size_t e = 0; e < finding.explains.size(); ++e) {
      place(d.explains[e], ranked[finding.explains[e].candidate]->items);
    }
    for (DiagnosisSlice& part : described) out.push_back(std::move(part));
    covered_before = std::move(merged);
  }
  if (out.size() > static_cast<size_t>(options.max_reported_slices)) out.resize(options.max_reported_slices);
  return out;
}

}  // namespace caploop
