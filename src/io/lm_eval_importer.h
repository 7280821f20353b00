// lm-evaluation-harness importer: reads the per-sample logs that `lm_eval --log_samples` writes and hands
// one ItemRecord per document to an IngestSink. The format and the field mapping are described in
// docs/formats-lm-eval.md.
//
// Contract: `paths` may name samples files (samples_<task>_<date>.jsonl of v0.4+, or the older
// samples_<task>.json / .jsonl holding one JSON array) and folders, searched recursively for
// samples_*.jsonl / samples_*.json (optionally .gz / .zst). All files together are one run: begin_run is
// called once, after the results_*.json files beside the samples have been read for the model name and
// generation settings (fields of `run` the user already set are kept). Items are then added file by file,
// in path order, documents in the order of their first record. Several files of one task in one folder: the
// latest date is read. Variants that map to one benchmark task (gsm8k, gsm8k_cot) are kept apart: the preferred
// variant (task_names.h lm_eval_variant_rank) keeps the mapped name, the others are named by their lm-eval
// task. The results' aggregates become run.harness_aggregates, each task's lm-eval name is kept in
// extra_json "harness_tasks". What the importer decided on its own is added to `notes` (may be null). Bad input
// throws caploop::Error kInput naming file, line and field. Not thread-safe; `progress` may be null.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/progress.h"
#include "io/ingest_records.h"

namespace caploop {

void import_lm_eval(const std::vector<std::filesystem::path>& paths, RunInfo run, IngestSink& sink, Progress* progress,
                    std::vector<std::string>* notes = nullptr);

}  // namespace caploop
