// Response evidence: what a run stored about its responses besides their text, as scoring and the agreement
// check need it: each task's harness metric names, and the filter values of a range of responses.
//
// Contract: read-only queries over the run_tasks, responses and filtered_values tables (see docs/workspace.md):
// run_tasks lists each task of a run once with the harness metric names its responses logged, in the order first
// logged (RunWriter keeps it as it writes the responses). Not thread-safe: use the WorkspaceDb's thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/workspace_db.h"

namespace caploop {

using BenchmarkTaskKey = std::pair<std::string, std::string>;  // (benchmark, task)

// The (benchmark, task) pairs of a run, sorted.
std::vector<BenchmarkTaskKey> tasks_of_run(WorkspaceDb& ws, int64_t run_id);

// Per task of a run, the names of the per-record metrics the harness logged, in the order first logged.
std::map<BenchmarkTaskKey, std::vector<std::string>> harness_metric_names_per_task(WorkspaceDb& ws, int64_t run_id);

// The filter values of the run's responses with ids in [first_id, last_id], by response id, in logged order.
std::unordered_map<int64_t, std::vector<std::pair<std::string, std::string>>> read_filtered_values(WorkspaceDb& ws,
                                                                                                   int64_t run_id,
                                                                                                   int64_t first_id,
                                                                                                   int64_t last_id);

}  // namespace caploop

namespace caploop {

// The run's response ids by (item id, sample index).
std::map<std::pair<int64_t, int64_t>, int64_t> response_ids_of_run(WorkspaceDb& ws, int64_t run_id);

}  // namespace caploop
