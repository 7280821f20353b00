// Weakness job: weak capability slices of one or more stored runs (persistent when several runs are given).
//
// Contract: tags the items the runs evaluated (workspace/item_tagging.h), loads each run's per-item outcomes
// under `rule` (default: each benchmark's default rule; scoring first when needed), and mines weak slices
// (slices/weakness_miner.h). Item names are "<task>:<id>" as the source gave them. Items missing from a run
// count as absent for that run only. Tasks whose scoring looks broken in every run (accuracy <=
// options.max_broken_accuracy with >= options.min_broken_no_answer_share of samples lacking an answer the rule
// can read; the thresholds and record of diagnose/broken_scoring.h) are kept out of mining and, when `broken`
// is given, listed there (rule, items, accuracy and no-answer share of the first and last run).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnose/broken_scoring.h"
#include "slices/weakness_miner.h"
#include "store/workspace_db.h"
#include "taxonomy/item_tagger.h"

namespace caploop {

MiningResult find_weaknesses(WorkspaceDb& ws, const std::vector<std::string>& runs,
                             const std::optional<std::string>& rule, const ItemTagger& tagger,
                             const MinerOptions& options, unsigned threads,
                             std::vector<BrokenScoringTask>* broken = nullptr);

}  // namespace caploop
