#include "slices/slice_explanation.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "core/error.h"
#include "slices/item_bitset.h"
#include "stats/normal_distribution.h"

namespace caploop {

namespace {

struct Pass {
  std::vector<ResidualEffect> residual;  // per candidate
  std::vector<double> q;                 // per candidate
  std::vector<bool> finding;             // per candidate
  std::vector<size_t> findings;          // in the order they were accepted
};

// The narrowest candidate, not yet decided, that holds the same residual as `c` with fewer items: the finding
// is named by it (`output=integer` minus a reported counting task is `multistep_arithmetic_two`).
size_t narrowest_alias(std::span<const std::vector<uint32_t>> ranked, size_t c, std::span<const uint32_t> residual,
                       const ItemBitset& covered, const std::vector<bool>& struck, const std::vector<bool>& finding) {
  size_t best = c;
  for (size_t d = 0; d < ranked.size(); ++d) {
    if (d == c || struck[d] || finding[d] || ranked[d].size() >= ranked[best].size()) continue;
    if (ranked[d].size() < residual.size()) continue;
    size_t uncovered = 0;
    for (uint32_t i : ranked[d]) uncovered += covered.test(i) ? 0 : 1;
    if (uncovered != residual.size()) continue;
    if (std::includes(ranked[d].begin(), ranked[d].end(), residual.begin(), residual.end())) best = d;
  }
  return best;
}

// The narrower candidate that concentrates c's residual change the most (see the header), or c.
size_t tighter_explanation(std::span<const std::vector<uint32_t>> ranked, size_t c, std::span<const uint32_t> residual,
                           const ItemBitset& covered, const std::vector<bool>& struck, const std::vector<bool>& finding,
                           const ResidualTest& test, double fdr, double z_min, int worse) {
  size_t best = c;
  double best_z = z_min;
  std::vector<uint32_t> own, rest;
  for (size_t d = 0; d < ranked.size(); ++d) {
    if (d == c || struck[d] || finding[d]) continue;
    own.clear();
    for (uint32_t i : ranked[d]) {
      if (!covered.test(i)) own.push_back(i);
    }
    if (own.empty() || own.size() >= residual.size()) continue;
    rest.clear();
    std::set_difference(residual.begin(), residual.end(), own.begin(), own.end(), std::back_inserter(rest));
    if (rest.size() == residual.size() || rest.empty()) continue;
    const ResidualEffect mine = test(own);
    if (mine.p_value > fdr) continue;
    const ResidualEffect others = test(rest);
    const double se =
        std::sqrt(mine.standard_error * mine.standard_error + others.standard_error * others.standard_error);
    if (!(se > 0.0)) continue;
    const double z = static_cast<double>(worse) * (mine.effect - others.effect) / se;
    if (z > best_z) {
      best = d;
      best_z = z;
    }
  }
  return best;
}

// One pass in rank order; candidates in `struck` are never findings.
Pass run_pass(std::span<const std::vector<uint32_t>> ranked, size_t item_count, const ResidualTest& test, double fdr,
              FdrMethod method, const std::vector<bool>& struck, int worse) {
  const double z_min = normal_quantile(1.0 - fdr / static_cast<double>(std::max<size_t>(ranked.size(), 1)));
  Pass pass;
  pass.residual.resize(ranked.size());
  pass.finding.assign(ranked.size(), false);
  ItemBitset covered(item_count);
  std::vector<double> p(ranked.size(), 1.0);
  std::vector<uint32_t> residual_items;
  for (size_t c = 0; c < ranked.size(); ++c) {
    if (pass.finding[c]) continue;  // accepted earlier in place of a broader candidate; residual recorded
    residual_items.clear();
    for (uint32_t i : ranked[c]) {
      if (!covered.test(i)) residual_items.push_back(i);
    }
    pass.residual[c] = residual_items.empty() ? ResidualEffect{} : test(residual_items);
    p[c] = pass.residual[c].p_value;
    // Provisional decision at the unadjusted level; the adjustment below confirms or strikes it off.
    if (struck[c] || p[c] > fdr) continue;
    const size_t tighter =
        tighter_explanation(ranked, c, residual_items, covered, struck, pass.finding, test, fdr, z_min, worse);
    if (tighter != c) {
      // A narrower slice holds the residual's signal: it is the finding, and `c` is looked at again.
      residual_items.clear();
      for (uint32_t i : ranked[tighter]) {
        if (!covered.test(i)) residual_items.push_back(i);
      }
      pass.residual[tighter] = test(residual_items);
      p[tighter] = pass.residual[tighter].p_value;
      pass.finding[tighter] = true;
      pass.findings.push_back(tighter);
      covered.set_all(ranked[tighter]);
      --c;
      continue;
    }
    const size_t named = narrowest_alias(ranked, c, residual_items, covered, struck, pass.finding);
    if (named != c) {
      pass.residual[named] = pass.residual[c];
      p[named] = p[c];
    }
    pass.finding[named] = true;
    pass.findings.push_back(named);
    covered.set_all(ranked[named]);
  }
  pass.q = method == FdrMethod::kBenjaminiYekutieli ? benjamini_yekutieli(p) : benjamini_hochberg(p);
  return pass;
}

// Slices that are not findings: re-tested on what no finding covers; one adjustment over the whole family
// (the findings' q-values are the ones the decision checks).
void settle(Pass& pass, std::span<const std::vector<uint32_t>> ranked, size_t item_count, const ResidualTest& test,
            FdrMethod method) {
  ItemBitset covered(item_count);
  for (size_t c : pass.findings) covered.set_all(ranked[c]);
  std::vector<double> p(ranked.size(), 1.0);
  std::vector<uint32_t> residual_items;
  for (size_t c = 0; c < ranked.size(); ++c) {
    if (!pass.finding[c]) {
      residual_items.clear();
      for (uint32_t i : ranked[c]) {
        if (!covered.test(i)) residual_items.push_back(i);
      }
      pass.residual[c] = residual_items.empty() ? ResidualEffect{} : test(residual_items);
    }
    p[c] = pass.residual[c].p_value;
  }
  pass.q = method == FdrMethod::kBenjaminiYekutieli ? benjamini_yekutieli(p) : benjamini_hochberg(p);
}

std::string relation_of(int64_t overlap, size_t candidate_size, size_t finding_size) {
  const auto shared = static_cast<size_t>(overlap);
  if (shared == candidate_size && shared == finding_size) return "alias";
  if (shared == finding_size) return "ancestor";
  if (shared == candidate_size) return "descendant";
  return "overlap";
}

}  // namespace

SliceExplanation explain_minimally(std::span<const std::vector<uint32_t>> ranked, size_t item_count,
                                   const ResidualTest& test, double fdr, FdrMethod method, int worse) {
  if (!(fdr > 0.0 && fdr <= 1.0)) {
    throw Error(ErrorKind::kInput, "fdr must lie in (0, 1]", SourceLocation{"", 0, "fdr"});
  }
  for (const std::vector<uint32_t>& items : ranked) {
    for (size_t k = 0; k < items.size(); ++k) {
      if (items[k] >= item_count || (k > 0 && items[k] <= items[k - 1])) {
        throw Error(ErrorKind::kInput, "slice items must be ascending indices below the item count",
                    SourceLocation{"", 0, "items"});
      }
    }
  }
  SliceExplanation out;
  std::vector<bool> struck(ranked.size(), false);
  Pass pass;
  for (size_t round = 0; round <= ranked.size(); ++round) {
    pass = run_pass(ranked, item_count, test, fdr, method, struck, worse);
    settle(pass, ranked, item_count, test, method);
    ++out.passes;
    bool changed = false;
    for (size_t c = 0; c < ranked.size(); ++c) {
      if (pass.finding[c] && pass.q[c] > fdr) {
        struck[c] = true;
        changed = true;
      }
    }
    if (!changed) break;
  }

  std::vector<ItemBitset> finding_sets;
  for (size_t c : pass.findings) {
    out.findings.push_back(Finding{c, pass.residual[c], pass.q[c], {}});
    ItemBitset set(item_count);
    set.set_all(ranked[c]);
    finding_sets.push_back(std::move(set));
  }
  for (size_t c = 0; c < ranked.size(); ++c) {
    if (pass.finding[c]) continue;
    // Listed under the finding that shares the most items (ties: the one accepted first).
    size_t best = out.findings.size();
    int64_t best_overlap = 0;
    for (size_t f = 0; f < out.findings.size(); ++f) {
      int64_t overlap = 0;
      for (uint32_t i : ranked[c]) overlap += finding_sets[f].test(i) ? 1 : 0;
      if (overlap > best_overlap) {
        best_overlap = overlap;
        best = f;
      }
    }
    ExplainedCandidate e;
    e.candidate = c;
    e.overlap = best_overlap;
    e.residual = pass.residual[c];
    e.residual_q = pass.q[c];
    if (best == out.findings.size()) {
      e.relation = "none";
      out.not_significant.push_back(std::move(e));
      continue;
    }
    e.relation = relation_of(best_overlap, ranked[c].size(), ranked[out.findings[best].candidate].size());
    out.findings[best].explains.push_back(std::move(e));
  }
  return out;
}

}  // namespace caploop
