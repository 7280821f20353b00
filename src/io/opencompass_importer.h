// OpenCompass importer: reads the prediction files OpenCompass writes under
// outputs/<run>/predictions/<model>/<dataset>.json and hands one ItemRecord per prediction to an IngestSink.
// The format and the field mapping are described in docs/formats-opencompass.md.
//
// Contract: `paths` may name prediction files, a predictions/<model> folder, or a predictions folder that
// holds exactly one model folder. All inputs are one run of one model, named after the model folder unless
// `run.model` is already set; begin_run is called once before any item. Split files <dataset>_0.json,
// <dataset>_1.json, ... are one dataset whose keys continue across the parts. Datasets are read in name
// order, items in file order. Bad input throws caploop::Error kInput naming file, line and field (a key's
// JSON pointer, e.g. "/17/prediction"); inputs from several model folders are refused (kUsage). Not
// thread-safe; `progress` may be null.
#pragma once

#include <filesystem>
#include <vector>

#include "core/progress.h"
#include "io/ingest_records.h"

namespace caploop {

void import_opencompass(const std::vector<std::filesystem::path>& paths, RunInfo run, IngestSink& sink,
                        Progress* progress);

}  // namespace caploop
