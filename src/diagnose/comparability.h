// Comparability of two runs: do they cover the same items, with the same prompts, generation settings and
// scoring rule? A comparison of runs that differ in any of these measures the evaluation change, not the model.
//
// check_comparability() returns one check per aspect, each with both runs' values as text and a status:
//   "same", "different", "unknown" (not recorded for one run or both; never counts as a difference),
//   "set_aside" (prompts only: a few items differ and are left out of the comparison) or "not_compared" (the
//   model: it is what a comparison changes).
// Aspects: items (unpaired share <= options.max_unpaired_share), prompts, max_new_tokens, stop_sequences (as
// sets), temperature, top_p, num_fewshot (one number, or per task), chat_template, scoring_rule, and model.
// Prompts, in proportion: the paired items whose prompt hashes (both known) differ are listed; their share
// <= max_prompt_mismatch_share is "same"; a share <= max_set_aside_prompt_share whose items hold less than
// min_concentrated_change_share of the discordant items (an item whose accuracy changed counts |c_i - a_i|)
// is "set_aside": the verdict compares the identical-prompt items and says so; otherwise "different" (a
// broad setup difference, or one that explains the change). Pure function; thread-safe.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "diagnose/diagnosis_input.h"
#include "diagnose/diagnosis_options.h"

namespace caploop {

enum class ComparabilityStatus { kSame, kDifferent, kUnknown, kSetAside, kNotCompared };

// "same", "different", "unknown", "set_aside", "not_compared" (as JSON, Markdown and HTML spell them).
std::string_view comparability_status_name(ComparabilityStatus status);
std::ostream& operator<<(std::ostream& out, ComparabilityStatus status);

struct ComparabilityCheck {
  std::string aspect;    // "items", "prompts", "max_new_tokens", ...
  std::string baseline;  // the baseline's value as text ("" when unknown)
  std::string candidate;
  ComparabilityStatus status = ComparabilityStatus::kUnknown;
  double measure = 0.0;  // items: unpaired share; prompts: mismatch share; else 0
};

struct Comparability {
  bool comparable = true;
  std::vector<ComparabilityCheck> checks;
  std::vector<std::string> differing_prompt_items;  // keys "<task>:<id>", in input order
  double differing_prompt_change_share = 0.0;       // their share of the discordant items (0 when none)
  bool prompts_set_aside = false;                   // compare on the identical-prompt items
  std::vector<std::string> differing_aspects() const;
};

Comparability check_comparability(const DiagnosisInput& input, const DiagnosisOptions& options);

}  // namespace caploop
