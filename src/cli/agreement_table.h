// The harness's number beside caploop's, as `ingest` and `summary` print it: one row per task with caploop's
// accuracy (first sample), the harness's (per-record mean, and its reported aggregate), the item-level
// agreement, then every warning of the summary, loudly.
//
// Contract: pure formatting of a RunSummary (workspace/run_summary.h); print_agreement() prints nothing when no
// task has a harness number and no warning. The same numbers in JSON: workspace/run_summary_json.h.
#pragma once

#include "workspace/run_summary.h"

namespace caploop::cli {

void print_agreement(const RunSummary& summary);

}  // namespace caploop::cli
