#include "diagnose/verdict.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "slices/slice_label.h"
#include "stats/paired_power.h"

namespace caploop {

namespace {

// Where to look when a loss is explained by endings, formats, scoring or setup, per cause / differing aspect.
const std::vector<std::string> kTerminationPlaces = {
    "masked end-of-sequence loss in fine-tuning (labels of the EOS token set to ignore)",
    "end-of-sequence token id in the generation config", "stop sequences", "max_new_tokens",
    "chat template (end-of-turn token)"};
const std::vector<std::string> kFormatPlaces = {"answer format instructions in the prompt", "few-shot examples",
                                                "chat template", "the reference rule's answer extraction pattern"};
const std::vector<std::string> kScoringPlaces = {"the reference rule's choice of answer statement (first vs last)",
                                                 "answer normalisation in the scoring rule",
                                                 "self-corrections and repeated answers in the outputs"};

std::string place_for_aspect(const std::string& aspect) {
  if (aspect == "items") return "item set (the runs cover different items)";
  if (aspect == "prompts") return "prompt construction (few-shot prompt, chat template)";
  if (aspect == "max_new_tokens") return "max_new_tokens";
  if (aspect == "stop_sequences") return "stop sequences";
  if (aspect == "temperature" || aspect == "top_p") return "sampling settings (temperature, top_p)";
  if (aspect == "num_fewshot") return "number of few-shot examples";
  if (aspect == "chat_template") return "chat template";
  if (aspect == "scoring_rule") return "scoring rule";
  return aspect;
}

VerdictCheck check(std::string name, double value, const char* comparison, double threshold) {
  bool passed = false;
  const std::string_view op(comparison);
  if (op == ">=") passed = value >= threshold;
  if (op == "<=") passed = value <= threshold;
  if (op == ">") passed = value > threshold;
  if (op == "<") passed = value < threshold;
  return VerdictCheck{std::move(name), value, comparison, threshold, passed};
}

// Verdicts 2a / 2b / 2c (and 3 on a subset): the loss explained by endings, answer form or re-scoring, or
// nothing.
struct LossCause {
  std::optional<Cause> cause;         // termination, format, scoring or none
  bool termination_dominant = false;  // lost items mostly ended in termination failures whose rate rose
  bool answer_form = false;           // the cause is the answer form (2b)
};

LossCause explain_loss(const LossDecomposition& loss, const AnswerFormChange& form, double breadth,
                       bool require_breadth, const DiagnosisOptions& o, const std::string& prefix,
                       std::vector<VerdictCheck>& checks) {
  const VerdictCheck dominant =
      check(prefix + "termination_lost_share", loss.termination_lost_share, ">=", o.min_abnormal_lost_share);
  const double ratio = loss.base_termination_rate > 0.0 ? loss.cand_termination_rate / loss.base_termination_rate
                                                        : (loss.cand_termination_rate > 0.0 ? INFINITY : 1.0);
  const VerdictCheck rose_ratio = check(prefix + "termination_rate_ratio", ratio, ">=", o.min_abnormal_rate_ratio);
  const VerdictCheck rose_by =
      check(prefix + "termination_rate_increase", loss.cand_termination_rate - loss.base_termination_rate,
            ">=", o.min_abnormal_rate_increase);
  const VerdictCheck recovered =
      check(prefix + "recovered_share", loss.recovered_share_either, ">=", o.min_recovered_share);
  for (const VerdictCheck& c : {dominant, rose_ratio, rose_by, recovered}) checks.push_back(c);
  bool broad = true;
  if (require_breadth) {
    checks.push_back(check("loss_breadth", breadth, ">=", o.min_loss_breadth));
    broad = checks.back().passed;
  }
  LossCause out;
  // Termination failures at an unchanged rate are a constant artefact of both runs, not the change.
  out.termination_dominant = dominant.passed && rose_ratio.passed && rose_by.passed;
  if (out.termination_dominant && recovered.passed && broad) {
    out.cause = Cause::kTermination;
    return out;
  }
  if (out.termination_dominant) return out;
  checks.push_back(
      check(prefix + "tolerant_recovered_share", form.recovered_share_tolerant, ">=", o.min_recovered_share));
  bool form_changed = checks.back().passed;
  if (form.measured) {
    const VerdictCheck shift = check(prefix + "shape_share_drop", form.shape_share_drop, ">=", o.min_shape_shift);
    const VerdictCheck off_shape =
        check(prefix + "off_shape_lost_share", form.off_shape_lost_share, ">=", o.min_off_shape_lost_share);
    checks.push_back(shift);
    checks.push_back(off_shape);
    form_changed = form_changed || (shift.passed && off_shape.passed);
  }
  if (form_changed) {
    out.cause = Cause::kFormat;
    out.answer_form = true;
  } else if (recovered.passed) {
    checks.push_back(
        check(prefix + "no_answer_lost_share", loss.no_answer_lost_share, ">=", o.min_no_answer_lost_share));
    out.cause = checks.back().passed ? Cause::kFormat : Cause::kScoring;
  }
  return out;
}

// Up to three before/after answers of the answer-form evidence, for the reason: `item: "(B)" -> "B"`.
std::string form_examples(const AnswerFormChange& form) {
  std::string out;
  for (size_t i = 0; i < form.examples.size() && i < 3; ++i) {
    const AnswerFormExample& e = form.examples[i];
    out += fmt::format("{}{}: {:?} -> {:?}", i > 0 ? "; " : "", e.item, e.base_answer, e.cand_answer);
  }
  return out;
}

std::string form_reason(const std::string& change, const AnswerFormChange& form) {
  std::string text = fmt::format(
      "accuracy changed {} but the answers changed form, not content: the tolerant tier (brackets, punctuation, "
      "case and white space ignored; option letters matched to option text) recovers {:.0f}% of the loss",
      change, 100.0 * form.recovered_share_tolerant);
  if (form.measured) {
    text += fmt::format(
        ", answers in the reference's shape {:.1f}% -> {:.1f}% and {:.0f}% of lost items lost that "
        "shape",
        100.0 * form.base_shape_share, 100.0 * form.cand_shape_share, 100.0 * form.off_shape_lost_share);
  }
  if (!form.examples.empty()) text += " (e.g. " + form_examples(form) + ")";
  return text;
}

// Places to look for a data_ruled_in verdict: the reported slices that lost more than the whole comparison
// (the whole benchmark is no place to look), at most kMaxDataPlaces; the top slice when the loss is broad.
constexpr size_t kMaxDataPlaces = 5;

std::vector<std::string> data_places(const std::vector<DiagnosisSlice>& slices) {
  std::vector<std::string> out;
  for (const DiagnosisSlice& s : slices) {
    if (s.excess_delta < 0.0 && out.size() < kMaxDataPlaces) out.push_back("training data for " + slice_label(s.tags));
  }
  if (out.empty() && !slices.empty()) out.push_back("training data for " + slice_label(slices.front().tags));
  return out;
}

std::string points(double delta) { return fmt::format("{:+.1f} points", 100.0 * delta); }

// The items the comparison reads: without tasks whose scoring looks broken and, when comparability set them
// aside, without the items whose prompts differ. Falls back to all items when nothing would remain; std::nullopt
// means "all items" (no copy of the pairing, which is most of the diagnosis's memory).
std::optional<DiagnosisInput> compared_items(const DiagnosisInput& input, const Comparability& comparability,
                                             const std::vector<BrokenScoringTask>& broken) {
  if (broken.empty() && !comparability.prompts_set_aside) return std::nullopt;
  DiagnosisInput out = without_tasks(input, broken);
  if (comparability.prompts_set_aside) {
    const std::set<std::string> differing(comparability.differing_prompt_items.begin(),
                                          comparability.differing_prompt_items.end());
    std::vector<PairedItem> kept;
    for (PairedItem& item : out.items) {
      if (differing.count(item.key) == 0) kept.push_back(std::move(item));
    }
    out.items = std::move(kept);
  }
  if (out.items.empty()) return std::nullopt;
  return out;
}

}  // namespace

Diagnosis diagnose(const DiagnosisInput& full_input, const DiagnosisOptions& options) {
  Diagnosis d;
  d.baseline = full_input.baseline.name;
  d.candidate = full_input.candidate.name;
  DiagnosisEvidence& ev = d.evidence;
  ev.options = options;
  ev.comparability = check_comparability(full_input, options);
  ev.broken_scoring = find_broken_scoring(full_input, options);
  const std::optional<DiagnosisInput> compared = compared_items(full_input, ev.comparability, ev.broken_scoring);
  const DiagnosisInput& input = compared ? *compared : full_input;
  ev.items_set_aside = static_cast<int64_t>(full_input.items.size() - input.items.size());
  const CheckpointComparison cmp = compare_checkpoints(input, options);
  ev.single_sample = cmp.single_sample;
  ev.overall = cmp.overall;
  ev.loss = decompose_loss(input);
  ev.answer_form = measure_answer_form(input);
  ev.partition_key = cmp.partition_key;
  for (const PartitionCell& c : cmp.cells) {
    ev.cells.push_back(PartitionCellSummary{c.value, c.difference.n, c.difference.delta, c.difference.standard_error});
  }
  ev.heterogeneity = cmp.heterogeneity;
  ev.loss_breadth = cmp.loss_breadth;
  ev.discordance_rate = cmp.discordance_rate;
  ev.planning_discordance = cmp.planning_discordance;
  ev.minimum_detectable_effect = cmp.minimum_detectable_effect;
  ev.slices_tested = static_cast<int64_t>(cmp.slices.size());
  ev.baseline_endings = input.baseline.ending_counts;
  ev.candidate_endings = input.candidate.ending_counts;

  std::vector<const SliceDifference*> regressed;
  std::vector<const SliceDifference*> improved;
  for (const SliceDifference& s : cmp.slices) {
    if (s.q_value > options.fdr) continue;
    if (s.difference.n >= cmp.overall.n) continue;  // a slice of every item is the comparison itself, not a place
    if (s.difference.delta < 0.0) regressed.push_back(&s);
    if (s.difference.delta > 0.0) improved.push_back(&s);
  }
  ev.slices_regressed = static_cast<int64_t>(regressed.size());
  ev.slices_improved = static_cast<int64_t>(improved.size());
  std::stable_sort(regressed.begin(), regressed.end(), [](const SliceDifference* a, const SliceDifference* b) {
    if (a->difference.delta != b->difference.delta) return a->difference.delta < b->difference.delta;
    return a->difference.n > b->difference.n;
  });
  std::stable_sort(improved.begin(), improved.end(), [](const SliceDifference* a, const SliceDifference* b) {
    if (a->difference.delta != b->difference.delta) return a->difference.delta > b->difference.delta;
    return a->difference.n > b->difference.n;
  });
  auto report_slices = [&](const std::vector<const SliceDifference*>& chosen) {
    d.slices = report_minimal_slices(chosen, input, cmp.overall.delta, options);
  };

  std::vector<VerdictCheck>& checks = ev.checks;
  const PairedDifference& o = cmp.overall;
  std::string change = fmt::format("{} (p = {:.3g}, {} items)", points(o.delta), o.p_value, o.n);
  if (ev.comparability.prompts_set_aside) {
    const auto& keys = ev.comparability.differing_prompt_items;
    std::string listed;
    for (size_t i = 0; i < keys.size() && i < 5; ++i) listed += (i > 0 ? ", " : "") + keys[i];
    if (keys.size() > 5) listed += fmt::format(", ... ({} in all)", keys.size());
    change +=
        fmt::format(" on the identical-prompt items ({} with a differing prompt set aside: {})", keys.size(), listed);
  }
  if (!ev.broken_scoring.empty()) {
    std::string names;
    for (const BrokenScoringTask& t : ev.broken_scoring) names += (names.empty() ? "" : ", ") + t.task;
    change += fmt::format(" without {} (scoring looks broken)", names);
  }

  // 1. Comparability.
  checks.push_back(check("comparable_aspects_differing",
                         static_cast<double>(ev.comparability.differing_aspects().size()), "<=", 0.0));
  if (!ev.comparability.comparable) {
    d.verdict = Verdict::kDataRuledOut;
    d.cause = Cause::kEvalConfig;
    std::string aspects;
    for (const std::string& a : ev.comparability.differing_aspects()) {
      aspects += (aspects.empty() ? "" : ", ") + a;
      d.places_to_look.push_back(place_for_aspect(a));
    }
    d.reason = fmt::format("the runs are not comparable ({} differ); the change {} measures the evaluation setup",
                           aspects, change);
    report_slices(regressed);
    return d;
  }

  // 2. Significant overall loss.
  checks.push_back(check("overall_p_value", o.p_value, "<=", options.alpha));
  const bool significant = checks.back().passed;
  if (significant && o.delta < 0.0) {
    const LossCause why = explain_loss(ev.loss, ev.answer_form, cmp.loss_breadth, true, options, "", checks);
    report_slices(regressed);
    if (why.cause == Cause::kTermination) {
      d.verdict = Verdict::kDataRuledOut;
      d.cause = Cause::kTermination;
      d.places_to_look = kTerminationPlaces;
      d.reason = fmt::format(
          "accuracy changed {}; {:.0f}% of lost items ended truncated, running on or looping (candidate "
          "termination failures {:.1f}% of samples vs {:.1f}%), re-scoring recovers {:.0f}% of the loss and "
          "{:.0f}% of {} cells lost",
          change, 100.0 * ev.loss.termination_lost_share, 100.0 * ev.loss.cand_termination_rate,
          100.0 * ev.loss.base_termination_rate, 100.0 * ev.loss.recovered_share_either, 100.0 * cmp.loss_breadth,
          cmp.partition_key);
      return d;
    }
    if (why.answer_form) {
      d.verdict = Verdict::kDataRuledOut;
      d.cause = Cause::kFormat;
      d.places_to_look = kFormatPlaces;
      d.reason = form_reason(change, ev.answer_form);
      return d;
    }
    if (why.cause) {
      d.verdict = Verdict::kDataRuledOut;
      d.cause = why.cause;
      d.places_to_look = why.cause == Cause::kFormat ? kFormatPlaces : kScoringPlaces;
      d.reason = fmt::format(
          "accuracy changed {} but lenient / first-answer re-scoring recovers {:.0f}% of the loss while "
          "{:.0f}% of lost items ended normally; {:.0f}% of lost items had no extractable answer",
          change, 100.0 * ev.loss.recovered_share_either, 100.0 * (1.0 - ev.loss.termination_lost_share),
          100.0 * ev.loss.no_answer_lost_share);
      return d;
    }
    checks.push_back(check("slices_regressed", static_cast<double>(regressed.size()), ">", 0.0));
    if (!why.termination_dominant && !regressed.empty()) {
      d.verdict = Verdict::kDataRuledIn;
      d.places_to_look = data_places(d.slices);
      d.reason = fmt::format(
          "accuracy changed {} with {:.0f}% of lost items ending normally and re-scoring recovering {:.0f}%; "
          "{} slices regressed (q <= {}), the change across {} cells is {} (Cochran Q p = {:.3g}, I^2 = {:.2f})",
          change, 100.0 * (1.0 - ev.loss.termination_lost_share), 100.0 * ev.loss.recovered_share_either,
          regressed.size(), options.fdr, cmp.partition_key,
          cmp.heterogeneity.p_value <= options.alpha ? "concentrated" : "spread evenly", cmp.heterogeneity.p_value,
          cmp.heterogeneity.i_squared);
      return d;
    }
    d.verdict = Verdict::kInconclusive;
    d.reason = why.termination_dominant
                   ? fmt::format(
                         "accuracy changed {} but the evidence is mixed: {:.0f}% of lost items ended with "
                         "termination failures yet the termination criteria do not all hold (see checks)",
                         change, 100.0 * ev.loss.termination_lost_share)
                   : fmt::format(
                         "accuracy changed {} with normal endings, but no slice of at least {} items "
                         "regressed significantly",
                         change, options.min_support);
    return d;
  }

  // 3. A localised regression under a non-significant or positive overall change.
  checks.push_back(check("slices_regressed", static_cast<double>(regressed.size()), ">", 0.0));
  if (!regressed.empty()) {
    DiagnosisInput subset;
    std::vector<bool> in_subset(input.items.size(), false);
    for (const SliceDifference* s : regressed) {
      for (uint32_t i : s->items) in_subset[i] = true;
    }
    for (size_t i = 0; i < input.items.size(); ++i) {
      if (in_subset[i]) subset.items.push_back(input.items[i]);
    }
    const LossDecomposition local = decompose_loss(subset);
    const AnswerFormChange local_form = measure_answer_form(subset);
    const LossCause why = explain_loss(local, local_form, 1.0, false, options, "regressed_slices.", checks);
    report_slices(regressed);
    if (why.answer_form) {
      d.verdict = Verdict::kDataRuledOut;
      d.cause = Cause::kFormat;
      d.places_to_look = kFormatPlaces;
      d.reason = fmt::format("overall accuracy changed {}; {} slices regressed, where {}", change, regressed.size(),
                             form_reason("locally", local_form));
      return d;
    }
    if (why.cause) {
      d.verdict = Verdict::kDataRuledOut;
      d.cause = why.cause;
      d.places_to_look = why.cause == Cause::kTermination ? kTerminationPlaces
                         : why.cause == Cause::kFormat    ? kFormatPlaces
                                                          : kScoringPlaces;
      d.reason = fmt::format(
          "overall accuracy changed {}; {} slices regressed, where {:.0f}% of lost items ended with termination "
          "failures and re-scoring recovers {:.0f}% of the loss",
          change, regressed.size(), 100.0 * local.termination_lost_share, 100.0 * local.recovered_share_either);
      return d;
    }
    d.verdict = Verdict::kDataRuledIn;
    d.places_to_look = data_places(d.slices);
    d.reason = fmt::format(
        "overall accuracy changed {}, but {} slices regressed significantly (q <= {}) with "
        "{:.0f}% of their lost items ending normally",
        change, regressed.size(), options.fdr, 100.0 * (1.0 - local.termination_lost_share));
    return d;
  }

  // 4. Significant gain.
  if (significant && o.delta > 0.0) {
    d.verdict = Verdict::kImproved;
    report_slices(improved);
    d.reason = fmt::format("accuracy changed {} and no slice regressed significantly ({} slices tested)", change,
                           cmp.slices.size());
    return d;
  }

  // 5. / 6. No significant change: enough power?
  checks.push_back(
      check("minimum_detectable_effect", cmp.minimum_detectable_effect, "<=", options.max_detectable_effect));
  if (checks.back().passed) {
    d.verdict = Verdict::kNoSignificantChange;
    d.reason = fmt::format(
        "accuracy changed {}; with {} items a change of {:.1f} points or more would have been "
        "detected with power {}",
        change, o.n, 100.0 * cmp.minimum_detectable_effect, options.power);
    return d;
  }
  PowerTarget target;
  target.alpha = options.alpha;
  target.power = options.power;
  const double psi = std::max(cmp.planning_discordance, options.max_detectable_effect);
  d.required_items = paired_proportion_sample_size(options.max_detectable_effect, psi, target);
  d.verdict = Verdict::kInconclusive;
  d.reason = fmt::format(
      "accuracy changed {}, not significant, but with {} items only changes of {:.1f} points "
      "or more are detectable; about {} paired items would detect {:.1f} points",
      change, o.n, 100.0 * cmp.minimum_detectable_effect, *d.required_items, 100.0 * options.max_detectable_effect);
  return d;
}

}  // namespace caploop
