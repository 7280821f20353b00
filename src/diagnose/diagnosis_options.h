// DiagnosisOptions: every threshold the verdict uses, with documented defaults (docs/diagnosis.md), and the
// optional `[diagnose]` table of a TOML configuration file that overrides them.
//
// parse_diagnosis_options() reads the `[diagnose]` table of TOML text (absent table: the defaults); an unknown
// key, a value of the wrong type or out of range throws caploop::Error (kInput) naming the file, the line and
// the key (`diagnose.<key>`). validate() applies the same range checks to options built in code. Plain value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "stats/multiple_testing.h"

namespace caploop {

struct DiagnosisOptions {
  // --- Tests ---
  double alpha = 0.05;  // level of the overall paired test (McNemar exact / paired test over items)
  double fdr = 0.05;    // a slice is significant when its q-value <= fdr
  FdrMethod fdr_method = FdrMethod::kBenjaminiHochberg;
  double confidence = 0.95;  // of the per-slice and overall intervals
  // --- Slices ---
  int max_order = 3;         // conjunctions of at most this many tag conditions
  int64_t min_support = 20;  // slices with fewer items are not tested
  int64_t max_reported_slices = 20;
  std::string partition_key = "task";  // plain dimension whose cells the evenness test compares
  // --- Comparability (eval_config) ---
  double max_unpaired_share = 0.02;            // items in one run only, over all items of both runs
  double max_prompt_mismatch_share = 0.0;      // paired items whose prompt hashes differ (both known)
  double max_set_aside_prompt_share = 0.01;    // more differing prompts than this share: eval_config; up to it, the
                                               // differing items are set aside (compared on identical prompts)...
  double min_concentrated_change_share = 0.5;  // ...unless they hold this share of the changed (discordant) items
  // --- Termination / format / scoring ---
  double min_abnormal_lost_share = 0.5;      // lost items with an abnormal ending, over lost items
  double min_abnormal_rate_ratio = 2.0;      // candidate abnormal-sample rate over the baseline's
  double min_abnormal_rate_increase = 0.05;  // candidate abnormal-sample rate minus the baseline's
  double min_recovered_share = 0.5;          // share of the loss that lenient or first-answer re-scoring recovers
  double min_loss_breadth = 0.5;             // share of partition cells that lost accuracy ("spread evenly")
  double min_no_answer_lost_share = 0.5;     // recovered loss with normal endings: format when this share of
                                             // lost items had no extractable answer, else scoring
  double min_shape_shift = 0.2;              // answer form moved: share of answers in the reference's shape fell
                                             // by at least this (baseline share minus candidate share)...
  double min_off_shape_lost_share = 0.5;     // ...and this share of lost items lost the reference's shape
  // --- Broken scoring (tasks kept out of the comparison) ---
  double max_broken_accuracy = 0.02;        // a task at most this accurate in both runs...
  double min_broken_no_answer_share = 0.5;  // ...with at least this share of samples without an answer in both
  // --- Power ---
  double power = 0.8;
  double max_detectable_effect = 0.03;     // "no change" needs a minimum detectable effect at most this
  double min_planning_discordance = 0.02;  // floor of the discordance rate used for power planning

  void validate(const std::string& file_name = "") const;
};

DiagnosisOptions parse_diagnosis_options(std::string_view toml_text, const std::string& file_name);
DiagnosisOptions load_diagnosis_options(const std::filesystem::path& path);

std::string_view fdr_method_name(FdrMethod method);  // "bh", "by"

}  // namespace caploop
