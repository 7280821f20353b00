// The harness's number beside caploop's, as `ingest` and `summary` print it: one row per task with caploop's
// accuracy (first sample), the harness's (per-record mean, and its reported aggregate), the item-level
// agreement, then every warning of the summary, loudly.
//
// Contract: pure formatting of a RunSummary (workspace/run_summary.h); print_agreement() prints nothing when no
// task has a harness number and no warning; write_agreement_fields() adds the fields to an open JSON object.
#pragma once

#include "core/json_writer.h"
#include "workspace/run_summary.h"

namespace caploop::cli {

void print_agreement(const RunSummary& summary);
void write_agreement_fields(JsonWriter& w, const TaskSummary& t);
// Every warning of the summary as a JSON array value.
void write_warnings(JsonWriter& w, const RunSummary& summary);

}  // namespace caploop::cli
