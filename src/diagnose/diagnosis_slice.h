// DiagnosisSlice: one slice a diagnosis reports, as a minimal explanation of the change (slices/
// slice_explanation.h) read along the operation axis (slices/operation_decomposition.h).
//
// report_minimal_slices() takes the significant slices of one direction (regressed or improved) in rank order,
// keeps as findings those whose residual change (on the items not covered by the findings above them) is
// still significant (residual q <= options.fdr, same direction), and lists every other slice under the finding
// that explains it (alias / ancestor / descendant / overlap, with the items they share). At most
// options.max_reported_slices findings are returned. Each finding carries its operation decomposition: per
// part, the candidate's accuracy, the accuracy lost (deficit = base - candidate accuracy), its q and share of
// the slice's loss; `split` says the slice is a union of parts whose changes differ significantly (Cochran's Q,
// p <= options.alpha), to be read as its parts. Such a split finding is reported as its parts when at least two
// of them are significant slices of their own (q <= fdr, same direction, an enumerated slice with exactly the
// part's items); the union goes under the part it shares the most items with (residual q of a part: its
// residual p times the number of slices, Bonferroni).
// Pure; deterministic; throws what the statistics throw.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diagnose/checkpoint_comparison.h"
#include "diagnose/diagnosis_input.h"
#include "diagnose/diagnosis_options.h"
#include "stats/interval.h"

namespace caploop {

struct SliceResidual {
  int64_t n = 0;  // items of the slice not covered by the findings reported above it
  double delta = 0.0;
  Interval ci{0.0, 0.0};
  double p_value = 1.0;
  double q_value = 1.0;
};

// A significant slice that is not a finding of its own: listed under the finding that explains it.
struct ExplainedSlice {
  std::vector<std::string> tags;
  std::string relation;  // alias | ancestor | descendant | overlap
  int64_t n = 0;
  int64_t overlap = 0;  // items shared with the finding
  double delta = 0.0;
  double q_value = 1.0;  // of the slice on all its items
  SliceResidual residual;
};

struct OperationShare {
  std::vector<std::string> tags;  // {"operation=counting.object_counting"}; empty: items without an operation
  int64_t n = 0;
  double base_accuracy = 0.0;
  double accuracy = 0.0;  // the candidate's
  double deficit = 0.0;   // base_accuracy - accuracy
  double q_value = 1.0;
  double deficit_share = 0.0;  // share of the slice's loss
};

struct DiagnosisSlice {
  std::vector<std::string> tags;                     // {"operation=temporal", ...}
  std::vector<std::vector<std::string>> equivalent;  // other tag sets with the same items
  int64_t n = 0;
  double base_accuracy = 0.0;
  double cand_accuracy = 0.0;
  double delta = 0.0;
  double excess_delta = 0.0;  // delta minus the overall delta
  Interval ci;
  double p_value = 1.0;
  double q_value = 1.0;
  std::vector<std::string> items;  // item keys "<task>:<id>", in input order
  SliceResidual residual;
  std::vector<ExplainedSlice> explains;
  std::vector<OperationShare> operations;
  bool split = false;
  double operations_heterogeneity_p = 1.0;
};

std::vector<DiagnosisSlice> report_minimal_slices(const std::vector<const SliceDifference*>& ranked,
                                                  const DiagnosisInput& input, double overall_delta,
                                                  const DiagnosisOptions& options);

}  // namespace caploop
