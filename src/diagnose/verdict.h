// The verdict of a checkpoint comparison: does a change between a baseline and a candidate call for a data
// intervention (`data_ruled_in`, with the weak slices), or is it explained by how the candidate ends its
// generations, formats or is scored, or by a different evaluation setup (`data_ruled_out`, with a cause and the
// places to look)? Or did the candidate improve, not change, or can the data not tell yet?
//
// diagnose() first sets aside what carries no information about the change: tasks whose scoring looks broken
// (diagnose/broken_scoring.h: near 0% with mostly no answer in both runs) and, when only a few prompts differ
// and the change is not concentrated in them, those items (diagnose/comparability.h, status "set_aside");
// the evidence names both. Then it decides, in this order (every threshold is a DiagnosisOptions field;
// docs/diagnosis.md):
//  1. Runs not comparable (items, prompts broadly or where the change is, or settings differ)
//       -> data_ruled_out, cause eval_config.
//  2. Significant overall loss (delta < 0, two-sided p <= alpha):
//     a. termination: lost items mostly ended truncated / ran on / looping (termination_lost_share >=
//        min_abnormal_lost_share), the candidate's termination rate rose (>= min_abnormal_rate_ratio times the
//        baseline's and by >= min_abnormal_rate_increase), lenient or first-answer re-scoring recovers
//        >= min_recovered_share of the loss, and the loss is spread (loss_breadth >= min_loss_breadth)
//        -> data_ruled_out, cause termination. Termination failures at an unchanged rate (a base model that
//        runs on as often in both runs) are a constant artefact: they never block the checks below.
//     b. answer form (diagnose/answer_form.h): the tolerant tier recovers >= min_recovered_share of the loss, or
//        the share of answers in the reference's shape fell by >= min_shape_shift and >= min_off_shape_lost_share
//        of lost items lost that shape -> data_ruled_out, cause format, with before/after answer examples.
//     c. re-scoring recovers >= min_recovered_share -> data_ruled_out, cause format
//        (no_answer_lost_share >= min_no_answer_lost_share: the answer is there but the reference rule cannot
//        extract it) or scoring (an answer was extracted but the reference rule reads or judges it differently).
//     d. some slice regressed (q <= fdr, delta < 0) -> data_ruled_in with those slices; places to look: training
//        data for the reported slices that lost more than the whole comparison (at most 5; the top slice when
//        the loss is broad).
//     e. otherwise -> inconclusive (termination failures rose but the termination criteria do not all hold,
//        or no slice regressed).
//  3. Some slice regressed significantly while the overall change is a gain or not significant: the same
//     checks 2a-2c on the regressed slices' items (without breadth), else data_ruled_in.
//  4. Significant gain -> improved.
//  5. Minimum detectable effect <= max_detectable_effect -> no_significant_change.
//  6. Otherwise -> inconclusive, with required_items: the paired items needed to detect max_detectable_effect.
// Reported slices (never one that holds every paired item: that is the comparison itself): for improved, the
// slices that improved significantly; otherwise those that regressed, ranked by delta, then size, then key,
// reduced to a minimal explanation (diagnose/diagnosis_slice.h); at most max_reported_slices. Every verdict carries its
// evidence (tests and numbers) and the checks it applied. Throws caploop::Error (kInput) for invalid input or options.
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diagnose/answer_form.h"
#include "diagnose/broken_scoring.h"
#include "diagnose/checkpoint_comparison.h"
#include "diagnose/comparability.h"
#include "diagnose/diagnosis_input.h"
#include "diagnose/diagnosis_options.h"
#include "diagnose/diagnosis_slice.h"
#include "diagnose/diagnosis_verdict.h"
#include "diagnose/loss_decomposition.h"

namespace caploop {

// One criterion the decision evaluated: `value comparison threshold` held or not.
struct VerdictCheck {
  std::string name;
  double value = 0.0;
  std::string comparison;  // ">=", "<=", "<", ">"
  double threshold = 0.0;
  bool passed = false;
};

struct PartitionCellSummary {
  std::string value;
  int64_t n = 0;
  double delta = 0.0;
  double standard_error = 0.0;
};

struct DiagnosisEvidence {
  bool single_sample = true;
  PairedDifference overall;  // McNemar b = overall.lost, c = overall.gained, p = overall.p_value
  LossDecomposition loss;
  AnswerFormChange answer_form;  // of the compared items
  Comparability comparability;
  std::vector<BrokenScoringTask> broken_scoring;  // tasks kept out of the comparison
  int64_t items_set_aside = 0;                    // paired items left out (differing prompts, broken scoring)
  std::string partition_key;
  std::vector<PartitionCellSummary> cells;
  HeterogeneityResult heterogeneity;
  double loss_breadth = 0.0;
  double discordance_rate = 0.0;
  double planning_discordance = 0.0;
  double minimum_detectable_effect = 0.0;
  int64_t slices_tested = 0;
  int64_t slices_regressed = 0;
  int64_t slices_improved = 0;
  std::map<std::string, int64_t> baseline_endings;
  std::map<std::string, int64_t> candidate_endings;
  std::vector<VerdictCheck> checks;
  DiagnosisOptions options;  // thresholds in force
};

struct Diagnosis {
  std::string baseline;  // run names
  std::string candidate;
  Verdict verdict = Verdict::kInconclusive;
  std::optional<Cause> cause;  // data_ruled_out only
  std::string reason;          // one sentence with the deciding numbers
  std::vector<std::string> places_to_look;
  std::vector<DiagnosisSlice> slices;
  DiagnosisEvidence evidence;
  std::optional<int64_t> required_items;  // inconclusive for lack of power
};

Diagnosis diagnose(const DiagnosisInput& input, const DiagnosisOptions& options);

}  // namespace caploop
