// IngestJob: import one run from a harness's files into the workspace, then score it.
//
// Contract: the import and the scoring that follows it (each task's default rule; `score_after = false` skips it)
// are one transaction: on any error (bad input, content conflict, an existing run name without `replace`) or a
// kill, nothing is written and the error propagates; otherwise the run is stored scored and summarised beside the
// harness's own numbers (IngestResult::summary). The importer's notes (lm-eval: the latest of several files of
// one task, variants kept apart) come back in IngestResult::notes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.h"
#include "io/generic_importer.h"
#include "io/ingest_records.h"
#include "store/workspace_db.h"
#include "workspace/run_scoring.h"
#include "workspace/run_summary.h"

namespace caploop {

enum class IngestFormat { kLmEval, kOpenCompass, kGeneric, kInspect, kEvalScope, kHelm };

// "lm-eval", "opencompass", "generic", "inspect", "evalscope", "helm"; throws kUsage for anything else.
IngestFormat parse_ingest_format(std::string_view name);

struct IngestRequest {
  IngestFormat format = IngestFormat::kGeneric;
  std::vector<std::filesystem::path> paths;
  RunInfo run;             // name (required), and model/checkpoint when the user gives them
  GenericMapping mapping;  // for kGeneric
  bool replace = false;
  bool score_after = true;
  unsigned threads = 1;
};

struct IngestResult {
  std::string run;
  int64_t items = 0;
  int64_t responses = 0;
  ScoringReport scoring;
  std::vector<std::string>
      notes;  // what the importer decided on its own (latest of several files, variants kept apart)
  std::optional<RunSummary> summary;       // per task, caploop beside the harness (when scored)
  int64_t score_rows_while_streaming = 0;  // of the score rows, those written while the import streamed
};

IngestResult ingest_run(WorkspaceDb& ws, const IngestRequest& request, Progress* progress);

}  // namespace caploop
