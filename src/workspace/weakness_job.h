// Weakness job: weak capability slices of one or more stored runs (persistent when several runs are given).
//
// Contract: tags the items the runs evaluated (workspace/item_tagging.h), loads each run's per-item outcomes
// under `rule` (default: each benchmark's default rule; scoring first when needed), and mines weak slices
// (slices/weakness_miner.h). Item names are "<task>:<id>" as the source gave them. Items missing from a run
// count as absent for that run only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "slices/weakness_miner.h"
#include "store/workspace_db.h"
#include "taxonomy/item_tagger.h"

namespace caploop {

MiningResult find_weaknesses(WorkspaceDb& ws, const std::vector<std::string>& runs, const std::optional<std::string>& rule,
                             const ItemTagger& tagger, const MinerOptions& options, unsigned threads);

}  // namespace caploop
