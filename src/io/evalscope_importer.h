// EvalScope 1.x importer: reads an EvalScope output folder (outputs/<timestamp>/ with reviews/<model>/,
// predictions/<model>/ and reports/<model>/) and hands one ItemRecord per sample group, with one response per
// repeat, to an IngestSink. The field mapping is in docs/formats-evalscope.md.
//
// Contract: `paths` may name an outputs folder (its latest timestamp folder), a timestamp folder, a
// reviews/<model> folder, or review files <benchmark>_<subset>.jsonl. The review files drive the import (they hold
// the target and the scores); the prediction file of the same name, when present, gives each response's text,
// stop_reason (the finish reason) and output tokens; reports/<model>/<benchmark>.json gives the aggregates. Where
// there are several model folders, `run.model` (--model) names the one to read. A sample's group_id (its
// index without one) is the item; samples of one group are its repeats, in sample-id order. Per-sample score values
// ({"acc": 1.0}) become harness_metrics "<name>,none"; a report's "mean_<name>" per subset the aggregate
// "<name>,none". Bad input throws caploop::Error kInput naming file, line and field. Not thread-safe;
// `progress` may be null.
#pragma once

#include <filesystem>
#include <vector>

#include "core/progress.h"
#include "io/ingest_records.h"

namespace caploop {

void import_evalscope(const std::vector<std::filesystem::path>& paths, RunInfo run, IngestSink& sink,
                      Progress* progress);

}  // namespace caploop
