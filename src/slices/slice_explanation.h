// Minimal explanation: which of many significant, overlapping slices are findings of their own, and which are
// only significant because they contain a finding (an ancestor such as `output=option_letter` around one weak
// task, or an alias that selects nearly the same items).
//
// explain_minimally() walks the candidates in the caller's rank order. Each candidate is re-tested on its
// residual: its items not covered by the findings ranked above it (`test` gives the residual's effect,
// interval and p-value; the caller's test returns p = 1 when the residual effect points the other way). The
// residual p-values of all candidates are adjusted together for the false discovery rate; a candidate is a
// finding when its residual q <= fdr. Because the residuals depend on which candidates are findings, the pass
// is repeated with every candidate whose residual q exceeded fdr struck off until nothing changes (at most
// one pass per candidate; in practice two or three).
// A finding is made as tight as the data allow: before a candidate c is accepted, a narrower candidate d that
// concentrates its residual's change is accepted instead, and c is looked at again with d's items covered. d
// qualifies when its own residual is significant, smaller than c's and shares items with it, and its effect
// is worse than that of c's residual without d's items by z >= the normal quantile of 1 - fdr / candidates
// (z from the two effects and their standard errors; `worse` is the direction the caller's effect grows in).
// Of several, the largest z wins (`level=5` is explained by `subject=geometry & level=5` and
// `operation=number_theory.modular_arithmetic` when those are the planted losses; `task=compute_value` by its
// two tasks when they lost different shares).
// A finding is named by its narrowest form: when a smaller candidate holds exactly the same residual (after
// the findings above, `output=integer` holds only `multistep_arithmetic_two`), that candidate is the finding
// and the broader one is listed under it. Findings come back in the order they were accepted.
// Every candidate that is not a finding is listed under the finding that shares the most items with it
// (ties: the one accepted first), with the relation of the two item sets:
//   "alias"      the same items;
//   "ancestor"   the candidate contains every item of the finding (and more);
//   "descendant" the finding contains every item of the candidate;
//   "overlap"    they share some items.
// The residual of a slice that is not a finding is its items that no finding covers (empty for an ancestor of
// findings); its q comes from one final adjustment over the residual p-values of all candidates.
// A candidate that shares no item with any finding (its own residual is simply not significant after the
// adjustment) is listed in `not_significant`.
// Contract: items of a candidate are ascending indices < item_count; fdr in (0, 1]; else caploop::Error kInput.
// Deterministic; thread-safe as long as `test` is.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "stats/interval.h"
#include "stats/multiple_testing.h"

namespace caploop {

struct ResidualEffect {
  int64_t n = 0;        // residual items
  double effect = 0.0;  // the caller's effect (a delta, a deficit) on those items
  Interval ci{0.0, 0.0};
  double p_value = 1.0;         // 1 when the residual is empty or the effect points the other way
  double standard_error = 0.0;  // of `effect`; > 0 for a non-empty residual
};

// The test of one residual: its items (ascending indices).
using ResidualTest = std::function<ResidualEffect(std::span<const uint32_t> items)>;

struct ExplainedCandidate {
  size_t candidate = 0;     // index into the ranked candidates
  std::string relation;     // "alias", "ancestor", "descendant", "overlap"
  int64_t overlap = 0;      // items shared with the finding it is listed under
  ResidualEffect residual;  // on its items that no finding covers
  double residual_q = 1.0;
};

struct Finding {
  size_t candidate = 0;
  ResidualEffect residual;
  double residual_q = 1.0;
  std::vector<ExplainedCandidate> explains;  // in rank order
};

struct SliceExplanation {
  std::vector<Finding> findings;                    // in rank order
  std::vector<ExplainedCandidate> not_significant;  // shares no item with a finding
  int64_t passes = 0;
};

// worse: -1 when a smaller effect is worse (an accuracy delta), +1 when a larger one is (a deficit).
SliceExplanation explain_minimally(std::span<const std::vector<uint32_t>> ranked_items, size_t item_count,
                                   const ResidualTest& test, double fdr, FdrMethod method, int worse);

}  // namespace caploop
