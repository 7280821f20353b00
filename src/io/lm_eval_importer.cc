#include "io/lm_eval_importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "io/importer_files.h"
#include "io/json_parser.h"
#include "io/lm_eval_importer_results.h"
#include "io/lm_eval_importer_samples.h"
#include "io/task_names.h"

namespace caploop {

namespace fs = std::filesystem;

namespace {

bool is_samples_file_name(const std::string& name) {
  if (!name.starts_with("samples_")) return false;
  std::string plain = name_without_compression(fs::path(name));
  return plain.ends_with(".jsonl") || plain.ends_with(".json");
}

std::vector<fs::path> samples_files(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found = find_files(path, is_samples_file_name);
      if (found.empty()) {
        throw Error(ErrorKind::kNotFound, "no lm-eval samples files (samples_*.jsonl or samples_*.json) in folder",
                    {path.string(), 0, ""});
      }
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      throw Error(ErrorKind::kNotFound, "file not found", {path.string(), 0, ""});
    }
  }
  return files;
}

// The results_<date>.json beside a samples file: the one of the same date when there is one, else the
// latest by name. Empty when there is none.
fs::path results_file_for(const fs::path& samples, const std::string& date) {
  std::vector<fs::path> candidates;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(samples.parent_path().empty() ? "." : samples.parent_path(), ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.starts_with("results") && name.ends_with(".json")) {
      candidates.push_back(entry.path());
    }
  }
  if (candidates.empty()) return {};
  std::sort(candidates.begin(), candidates.end());
  if (!date.empty()) {
    for (const fs::path& c : candidates) {
      if (c.filename().string() == "results_" + date + ".json") return c;
    }
  }
  return candidates.back();
}

struct SamplesFile {
  fs::path path;
  std::string task;  // lm-eval's task name
  BenchmarkTask mapped;
};

}  // namespace

void import_lm_eval(const std::vector<fs::path>& paths, RunInfo run, IngestSink& sink, Progress* progress) {
  std::vector<SamplesFile> files;
  for (const fs::path& path : samples_files(paths)) {
    LmEvalFileName name = parse_lm_eval_file_name(path);
    files.push_back({path, name.task, map_lm_eval_task(name.task)});
  }
  // Two files for one (benchmark, task) would give every item twice.
  for (size_t i = 0; i < files.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (files[i].mapped == files[j].mapped) {
        throw_input_error(
            fmt::format("task '{}' maps to {}/{} like '{}' in {}; ingest them as separate runs", files[i].task,
                        files[i].mapped.benchmark, files[i].mapped.task, files[j].task, files[j].path.string()),
            {files[i].path.string(), 0, ""});
      }
    }
  }

  // Model and generation settings from the results files beside the samples.
  std::map<fs::path, LmEvalResults> results_by_file;
  std::map<std::string, LmEvalTaskSettings> settings;
  std::vector<std::string> tasks;
  std::string model, checkpoint;
  for (const SamplesFile& file : files) {
    tasks.push_back(file.task);
    fs::path results_path = results_file_for(file.path, parse_lm_eval_file_name(file.path).date);
    if (results_path.empty()) continue;
    auto it = results_by_file.find(results_path);
    if (it == results_by_file.end()) {
      it = results_by_file.emplace(results_path, read_lm_eval_results(results_path)).first;
    }
    const LmEvalResults& results = it->second;
    if (model.empty()) model = results.model;
    if (checkpoint.empty()) checkpoint = results.checkpoint;
    auto task = results.tasks.find(file.task);
    if (task != results.tasks.end()) settings.emplace(file.task, task->second);
  }
  run.harness = "lm-eval";
  if (run.model.empty()) run.model = model;
  if (run.checkpoint.empty()) run.checkpoint = checkpoint;
  if (!settings.empty()) run.generation = merge_generation_settings(tasks, settings);
  sink.begin_run(run);

  JsonParser parser;
  for (const SamplesFile& file : files) {
    for (LmEvalItem& item : read_lm_eval_samples(file.path, file.mapped, parser, progress)) {
      sink.add_item(item.item, std::move(item.responses));
    }
  }
}

}  // namespace caploop
