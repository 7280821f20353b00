// Inspect AI importer: reads Inspect evaluation logs, `.json` (one JSON document) or `.eval` (a ZIP with
// header.json and one samples/<id>_epoch_<n>.json per sample and epoch), and hands one ItemRecord per sample
// id, with one response per epoch, to an IngestSink. The field mapping is in docs/formats-inspect.md.
//
// Contract: `paths` may name log files or folders holding them (a folder's *.eval and *.json logs; files that
// are not logs, such as Inspect's logs.json listing, are passed over). All logs are one run of one model (named
// from eval.model unless `run.model` is set); each log is one task, mapped to caploop's (benchmark, task) from
// eval.task; two logs of one task are refused (kUsage, naming both). Epoch n becomes sample_index n-1;
// output.stop_reason the finish reason; the per-sample scores become harness_metrics ("<scorer>,none", letter
// values C/I/P/N as 1/0/0.5/0 like Inspect's value_to_float), the header's results.scores metrics the run's
// harness_aggregates. Items come in sample-id order (numeric ids numerically), whatever the order in the file.
// Bad input throws caploop::Error kInput naming the file (for a `.eval`, "<file>/<entry>"), line and field.
// Not thread-safe; `progress` may be null.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.h"
#include "io/ingest_records.h"

namespace caploop {

void import_inspect(const std::vector<std::filesystem::path>& paths, RunInfo run, IngestSink& sink, Progress* progress);

// A score value as Inspect's value_to_float reads it: numbers and booleans as themselves, "C" 1, "P" 0.5,
// "I" and "N" 0, "yes"/"true" 1, "no"/"false" 0 (any case), a numeric string its number; nullopt for anything
// else (Inspect warns and counts 0 there; caploop keeps no metric rather than a made-up one).
std::optional<double> inspect_value_to_float(std::string_view text);

}  // namespace caploop
