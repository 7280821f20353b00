// Scoring a stored run: apply a scoring rule to every response, classify how each generation ended, and
// store the results per response and rule.
//
// Contract: score_run() reads the run's raw responses in batches (bounded memory), scores each batch on
// `threads` threads (rules and the ending classifier are pure), and writes the batch's results in one
// transaction per run and rule: either all of a run's scores for a rule are replaced, or none are. With no
// rule given, each benchmark of the run gets its default rule (eval/rule_registry.h). Unknown rules throw
// kNotFound before anything is written. Results are identical whatever the thread count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.h"
#include "store/workspace_db.h"

namespace caploop {

struct RuleApplication {
  std::string benchmark;
  std::string rule;
  int rule_version = 0;
  int64_t responses = 0;
  int64_t correct = 0;
};

struct ScoringReport {
  std::string run;
  std::vector<RuleApplication> applied;  // one per benchmark (sorted)
};

// `only_benchmark` restricts scoring to that benchmark's responses.
ScoringReport score_run(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule, unsigned threads,
                        Progress* progress, const std::optional<std::string>& only_benchmark = std::nullopt);

// Scores the run with `rule` (or the default rules) unless every benchmark already has stored scores from the
// current version of its rule. Returns whether it scored.
bool ensure_scored(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule, unsigned threads,
                   Progress* progress, const std::optional<std::string>& only_benchmark = std::nullopt);

// The rule used for `benchmark` when the user gives `rule` (or none).
std::string rule_for_benchmark(const std::optional<std::string>& rule, const std::string& benchmark);

}  // namespace caploop
