// Run export: one row per response of a run, with caploop's verdict beside the harness's own per-response metrics,
// as JSON Lines or CSV for notebooks and pandas.
//
// Contract: export_run() scores the run first where its scores under the chosen rules are missing or stale (as
// `summary` does; that is the only write), then returns the text: rows ordered by benchmark, task, item and sample,
// so the same workspace gives the same bytes. Each row: item ("<task>:<source id>"), benchmark, task, source_id,
// sample_index, rule, rule_version, found, answer, correct, ending, finish_reason, reference and the harness's
// metrics ("harness_metrics" object in JSONL; one "harness:<metric>" column each in CSV, columns sorted by name,
// empty where a response has none or the harness logged NaN). CSV follows RFC 4180 (CRLF line ends, fields with
// comma, quote, CR or LF quoted, quotes doubled). Unknown runs or rules throw kNotFound.
#pragma once

#include <optional>
#include <string>

#include "core/progress.h"
#include "store/workspace_db.h"

namespace caploop {

enum class ExportFormat { kJsonl, kCsv };

// "jsonl" or "csv"; throws kUsage otherwise.
ExportFormat parse_export_format(std::string_view name);

struct ExportRequest {
  std::string run;
  std::optional<std::string> rule;  // none: each benchmark's default rule
  ExportFormat format = ExportFormat::kJsonl;
  unsigned threads = 1;
};

std::string export_run(WorkspaceDb& ws, const ExportRequest& request, Progress* progress);

}  // namespace caploop
