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

// The per-record harness metric values of a run's first samples (sample index 0), in the order written, as the
// writer of the run saw them (RunWriter::written_first_sample_metrics): what read_chosen_harness_metrics(..., 0)
// would read back, without reading.
struct FirstSampleMetricLog {
  struct Value {
    int64_t response_id = 0;
    uint32_t metric = 0;  // index into names
    double value = 0;     // NaN where the harness logged none (stored as NULL)
  };
  std::vector<std::string> names;
  std::vector<Value> values;  // each response's values together, in logged order
};
// read_chosen_harness_metrics(ws, run, metrics, 0) from the log instead of the workspace.
ChosenMetricValues choose_metric_values(const FirstSampleMetricLog& log, const std::vector<std::string>& metrics);

// The harness's own per-task aggregates for a run (empty when the harness wrote none or none was found).
std::vector<HarnessAggregate> read_harness_aggregates(WorkspaceDb& ws, int64_t run_id);

}  // namespace caploop
