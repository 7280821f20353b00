// Harness metrics: what the harness itself logged for a run, read back to be shown beside caploop's own scores.
//
// Contract: read-only queries over the harness_metrics and harness_aggregates tables that RunWriter fills
// (docs/workspace.md). Per-record metrics come back keyed by response id, each response's metrics in the order
// the harness logged them; a value the harness logged as NaN (stored as NULL) comes back as NaN. Aggregates come
// back ordered by benchmark, task, metric. Not thread-safe: use the WorkspaceDb's thread.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/ingest_records.h"
#include "store/workspace_db.h"

namespace caploop {

using HarnessMetricValues = std::vector<std::pair<std::string, double>>;  // (metric, value) as logged

// Every per-record harness metric of a run, by response id (responses with none are absent).
std::unordered_map<int64_t, HarnessMetricValues> read_harness_metrics(WorkspaceDb& ws, int64_t run_id);

// Lean, for comparisons: per response of the run with sample index `sample_index`, the values it logged of the
// metrics named in `metrics`, as (index into `metrics`, value) in logged order; other metrics are not read.
using ChosenMetricValues = std::unordered_map<int64_t, std::vector<std::pair<size_t, double>>>;
ChosenMetricValues read_chosen_harness_metrics(WorkspaceDb& ws, int64_t run_id, const std::vector<std::string>& metrics,
                                               int64_t sample_index);

// The harness's own per-task aggregates for a run (empty when the harness wrote none or none was found).
std::vector<HarnessAggregate> read_harness_aggregates(WorkspaceDb& ws, int64_t run_id);

}  // namespace caploop
