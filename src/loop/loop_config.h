// LoopConfig: what `caploop loop CONFIG.toml` runs: the evaluation runs to ingest, the comparisons to diagnose
// (and, when the data is ruled in, to plan, sample and verify), the corpus to tag and the plan's settings.
// Format (docs/loop.md; every path relative to the config file's folder):
//   [loop]          out = "out/loop", seed = 1, workspace = "caploop.db" (inside out), threads = 2
//   [[runs]]        name, format = "generic" | "lm-eval" | "opencompass", paths = [...] (a "*" in the last
//                   path component is a file-name pattern), model, checkpoint, rule, and the generic importer's
//                   options: benchmark, records, id, input, response, responses, response_text, target,
//                   finish_reason, n_tokens, task_field, task_from_filename, task, metadata = [...]
//   [[comparisons]] name, baseline, candidate, after (optional: the run evaluated after retraining -> verify),
//                   control (optional, needs after: the run trained as long on the plan's control mixture)
//   [corpus]        inputs = [...], taxonomy (optional), text_field = "text", id_field = "id"
//   [plan]          budget_tokens, mapping (optional), max_epochs, max_category_share, min_base_share, base_axis,
//                   alpha, power, guard_margin
//   [verify]        fdr
//   [diagnose]      the thresholds of `caploop diagnose --config` (docs/diagnosis.md), for every comparison
//
// Contract: load_loop_config() validates the whole file before anything runs: TOML syntax, unknown tables and
// keys, wrong types, missing required keys, duplicate run or comparison names, comparisons naming unknown runs,
// a comparison's name that is not a plain folder name, missing input paths. Every error is caploop::Error
// (kInput; kNotFound for a missing path) naming the config file, the line and the key ("runs[2].paths").
// Paths in the result are the config folder joined with the relative path, lexically normal (so a config
// given as "examples/loop.toml" yields "examples/data/..."). Plain value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnose/diagnosis_options.h"
#include "io/generic_importer.h"
#include "mixture/mixture_plan.h"
#include "verify/verification.h"
#include "workspace/ingest_job.h"
#include "workspace/run_scoring.h"

namespace caploop {

struct LoopRun {
  std::string name;
  std::string format = "generic";
  std::vector<std::filesystem::path> paths;  // files, patterns expanded, sorted per entry
  std::string model;
  std::string checkpoint;
  std::optional<std::string> rule;   // reference scoring rule (default: each benchmark's default)
  std::vector<TaskRule> task_rules;  // rules = ["math/*=math-minerva", ...]: a rule per benchmark or task
  GenericMapping mapping;            // format "generic"
  int64_t line = 0;                  // where the [[runs]] entry starts
};

struct LoopComparison {
  std::string name;  // also the folder under `out`
  std::string baseline;
  std::string candidate;
  std::optional<std::string> after;  // evaluation after retraining on the sample: verify the plan on it
  int64_t line = 0;
  std::optional<std::string> control;  // evaluation after training as long on the control mixture (issue 13)
};

struct LoopCorpus {
  std::vector<std::filesystem::path> inputs;
  std::optional<std::filesystem::path> taxonomy;  // default: the built-in data taxonomy
  std::string text_field = "text";
  std::string id_field = "id";
};

struct LoopConfig {
  std::filesystem::path file;       // the config file as given
  std::filesystem::path out;        // output folder
  std::filesystem::path workspace;  // the SQLite workspace (default: out/caploop.db)
  uint64_t seed = 1;
  unsigned threads = 2;
  std::vector<LoopRun> runs;
  std::vector<LoopComparison> comparisons;
  std::optional<LoopCorpus> corpus;              // required for a plan
  PlanOptions plan;                              // budget_tokens 0 = not set (required for a plan)
  std::optional<std::filesystem::path> mapping;  // default: the built-in mapping rules
  VerifyOptions verify;
  DiagnosisOptions diagnose;

  const LoopRun* find_run(std::string_view name) const;
};

LoopConfig parse_loop_config(std::string_view toml_text, const std::filesystem::path& file);
LoopConfig load_loop_config(const std::filesystem::path& file);

}  // namespace caploop
