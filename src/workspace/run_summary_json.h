// The JSON of a run summary (workspace/run_summary.h), as `caploop summary --json` prints it and `caploop
// ingest --json` embeds its parts: per task and per benchmark the counts, accuracy with its standard error,
// the harness's own number beside caploop's and their agreement, pass@k / maj@k, the ending breakdown, and
// every warning. Fields: docs/workspace.md.
//
// Contract: pure; same summary, same bytes (JsonWriter). run_summary_to_json() gives a pretty-printed object
// {run, tasks: [rows with task != "*"], benchmarks: [rows with task == "*"], warnings} without a final newline.
// write_task_summary() writes one row as an object; write_agreement_fields() adds the agreement fields of a row
// to an open object; write_summary_warnings() writes every row's warnings as one array value.
#pragma once

#include <string>

#include "core/json_writer.h"
#include "workspace/run_summary.h"

namespace caploop {

std::string run_summary_to_json(const RunSummary& summary);
void write_task_summary(JsonWriter& w, const TaskSummary& t);
void write_agreement_fields(JsonWriter& w, const TaskSummary& t);
void write_summary_warnings(JsonWriter& w, const RunSummary& summary);

}  // namespace caploop
