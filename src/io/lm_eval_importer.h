// lm-evaluation-harness importer: reads the per-sample logs that `lm_eval --log_samples` writes and hands
// one ItemRecord per document to an IngestSink. The format and the field mapping are described in
// docs/formats-lm-eval.md.
//
// Contract: `paths` may name samples files (samples_<task>_<date>.jsonl of v0.4+, or the older
// samples_<task>.json / .jsonl holding one JSON array) and folders, searched recursively for
// samples_*.jsonl / samples_*.json (optionally .gz / .zst). All files together are one run: begin_run is
// called once, after the results_*.json files beside the samples have been read for the model name and
// generation settings (fields of `run` the user already set are kept). Items are then added file by file,
// in path order, documents in the order of their first record. Bad input throws caploop::Error kInput naming
// file, line and field; two files that map to the same benchmark and task are refused. Not thread-safe;
// `progress` may be null.
#pragma once

#include <filesystem>
#include <vector>

#include "core/progress.h"
#include "io/ingest_records.h"

namespace caploop {

void import_lm_eval(const std::vector<std::filesystem::path>& paths, RunInfo run, IngestSink& sink,
                    Progress* progress);

}  // namespace caploop
