// Reading lm-evaluation-harness's results_<date>.json (the aggregate file written beside the samples) for
// what the per-sample logs do not say: the model and how each task generated.
//
// Contract: read_lm_eval_results() parses one results file; merge_generation_settings() turns the per-task
// settings of the tasks in a run into one GenerationSettings (the first task's, with every task's own
// settings kept in extra_json when they disagree). Bad input throws caploop::Error kInput naming file and
// field. Pure functions, thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/ingest_records.h"

namespace caploop {

struct LmEvalTaskSettings {
  GenerationSettings generation;       // extra_json holds the generation_kwargs keys not mapped to a field
  std::optional<int64_t> num_fewshot;  // configs.<task>.num_fewshot, else n-shot.<task>
  std::string target_delimiter = " ";  // configs.<task>.target_delimiter (lm-eval's default is " ")
  std::vector<std::pair<std::string, std::string>> unmapped;  // those keys and their JSON values, in order
  std::string raw_json = "{}";  // {"generation_kwargs": ..., "repeats": ...} verbatim, for comparison
};

struct LmEvalResults {
  std::string model;       // model_name, else pretrained=... of config.model_args; may be empty
  std::string checkpoint;  // revision=... of config.model_args; may be empty
  std::map<std::string, LmEvalTaskSettings> tasks;  // by lm-eval task name (configs.<task>)
  // results.<task>: the numeric "<metric>,<filter>" values with their "<metric>_stderr,<filter>" (benchmark and
  // task left empty: the importer maps the task name); groups are included as lm-eval writes them.
  std::map<std::string, std::vector<HarnessAggregate>> aggregates;
};

LmEvalResults read_lm_eval_results(const std::filesystem::path& path);

// Settings for a run made of `tasks` (in run order); tasks without settings are skipped. extra_json gets
// "num_fewshot" when every task with a known count agrees, "lm_eval_per_task" when their settings disagree, and
// "harness_tasks" ({"<benchmark>/<task>": "<lm-eval task>"}) when `harness_tasks` is not empty.
GenerationSettings merge_generation_settings(
    const std::vector<std::string>& tasks, const std::map<std::string, LmEvalTaskSettings>& settings,
    const std::vector<std::pair<std::string, std::string>>& harness_tasks = {});

}  // namespace caploop
