// Control arm: what a plan pre-registers for the run that tells the targeted data apart from the extra
// training. The control mixture has the plan's token budget and the base proportions — the corpus's own
// mixture (each base stream's share of the corpus tokens) or the user's current mixture read from a file —
// and no target streams; a model trained as long on it is the control that `verify --control` compares the
// targeted model with (docs/plan.md, docs/verify.md).
//
// Mixture file (TOML): one key per tag of the plan's base axis with its share of the budget, e.g.
//   source__web = 0.6
//   source__books = 0.4
// Shares are >= 0 and sum to 1 (within 1e-6); tags left out get 0; a tag that is not a base stream is an error.
//
// Quotas: budget x share, rounded by largest remainder (shares as integer weights of 1e-9), full epochs and
// remainder as for every stream (mixture/mixture_plan.h). Expectations, tested by verify against the baseline:
//   "bounded" (one per target hypothesis, id "C<n>" for "H<n>"): under the control the slice gains less than
//             the target's min_effect (extra training alone does not explain the planned gain);
//   "guard"   the rest of the items lose at most the guard margin under the control too.
//
// Contract: pure functions of their arguments (read_base_mixture reads one file). Errors are caploop::Error:
// kInput naming the mixture file, line and key for a bad share or unknown tag; kInput when the control
// mixture would need more than max_epochs of a stream (names the stream and the figures) or asks tokens of a
// stream without documents.
#pragma once

#include <map>
#include <string>

#include "mixture/mixture_plan.h"

namespace caploop {

struct BaseMixture {
  std::string file;                      // as given; "" = natural
  std::string checksum;                  // FNV-1a 64 hex of the file's bytes
  std::map<std::string, double> shares;  // base stream name ("base:<tag>") -> share of the budget
};

// Reads a mixture file against the plan's base streams.
BaseMixture read_base_mixture(const std::string& path, const MixturePlan& plan);

// The control arm of `plan` (its base streams, budget, options and hypotheses must be set); `mixture` null =
// the corpus's natural mixture.
PlanControl plan_control_arm(const MixturePlan& plan, const BaseMixture* mixture);

}  // namespace caploop
