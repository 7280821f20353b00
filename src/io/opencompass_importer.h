// OpenCompass importer: reads the prediction files OpenCompass writes under
// outputs/<run>/predictions/<model>/<dataset>.json and hands one ItemRecord per prediction to an IngestSink.
// The format and the field mapping are described in docs/formats-opencompass.md.
//
// Contract: `paths` may name prediction files, a predictions/<model> folder, a predictions folder, a work
// folder outputs/<config>/<timestamp> (its predictions/), or outputs/<config> (its latest timestamp folder).
// Where there are several model folders, `run.model` (--model) names the one to read; else there must be one.
// All inputs are one run of one model, named after the model folder unless `run.model` is set; begin_run is
// called once before any item. Split files <dataset>_0.json, <dataset>_1.json, ... (also a lone part, unless
// <dataset>.json is beside it) are one dataset: a part whose keys restart at "0", as OpenCompass writes them,
// follows the parts before it (ids offset by their item count); keys continuing from the earlier parts are
// kept. When results/<model>/<dataset>.json exists beside predictions/, its "accuracy" (percent) becomes the
// aggregate "accuracy,none" (a fraction) and its per-item "details" "correct" the per-response harness metric
// "accuracy,none" (1 or 0). Datasets are read in name order, items in file order. Bad input throws
// caploop::Error kInput naming file, line and field (a key's JSON pointer, e.g. "/17/prediction"); inputs from
// several model folders are refused (kUsage). Not thread-safe; `progress` may be null.
#pragma once

#include <filesystem>
#include <vector>

#include "core/progress.h"
#include "io/ingest_records.h"

namespace caploop {

void import_opencompass(const std::vector<std::filesystem::path>& paths, RunInfo run, IngestSink& sink,
                        Progress* progress);

}  // namespace caploop
