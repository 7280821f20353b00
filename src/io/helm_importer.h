// HELM importer: reads HELM run folders (benchmark_output/runs/<suite>/<run name>/ with scenario_state.json and,
// when evaluated, per_instance_stats.json and stats.json) and hands one ItemRecord per instance, with one response
// per completion, to an IngestSink. The field mapping is in docs/formats-helm.md.
//
// Contract: `paths` may name run folders, a suite folder holding run folders, or scenario_state.json files. Each
// run folder is one task, named from the run name's scenario and its subject argument ("gsm" → gsm8k/gsm8k,
// "math:subject=algebra,..." → math/algebra, "mmlu:subject=X,..." → mmlu/X); two run folders of one task are
// refused (kUsage). Generation requests only (reference_index null); perturbed instances are passed over. A
// completion's finish_reason.reason is the finish reason; per-instance stats become harness_metrics
// "<stat>,none" of the instance's first completion in that train trial; stats.json's unperturbed means of the
// same stats, for the instances' split, the aggregates. Bad input throws caploop::Error kInput naming file, line
// and field. Not thread-safe; `progress` may be null.
#pragma once

#include <filesystem>
#include <vector>

#include "core/progress.h"
#include "io/ingest_records.h"

namespace caploop {

void import_helm(const std::vector<std::filesystem::path>& paths, RunInfo run, IngestSink& sink, Progress* progress);

}  // namespace caploop
