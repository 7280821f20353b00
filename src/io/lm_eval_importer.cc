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
  std::string date;  // from the file name, "" for legacy names
};

}  // namespace

void import_lm_eval(const std::vector<fs::path>& paths, RunInfo run, IngestSink& sink, Progress* progress,
                    std::vector<std::string>* notes) {
  std::vector<SamplesFile> files;
  for (const fs::path& path : samples_files(paths)) {
    LmEvalFileName name = parse_lm_eval_file_name(path);
    files.push_back({path, name.task, map_lm_eval_task(name.task), name.date});
  }
  // Several files of one task in one folder (a rerun into the same output folder): the latest date wins.
  std::vector<SamplesFile> latest;
  for (const SamplesFile& file : files) {
    auto same = std::find_if(latest.begin(), latest.end(), [&](const SamplesFile& f) {
      return f.task == file.task && f.path.parent_path() == file.path.parent_path();
    });
    if (same == latest.end()) {
      latest.push_back(file);
      continue;
    }
    const SamplesFile& older = same->date < file.date ? *same : file;
    const SamplesFile& newer = same->date < file.date ? file : *same;
    if (notes) {
      notes->push_back(fmt::format("{}: task '{}' has several result files; reading the latest, {} (not {})",
                                   file.path.parent_path().string(), file.task, newer.path.filename().string(),
                                   older.path.filename().string()));
    }
    *same = newer;
  }
  files = std::move(latest);
  // Variants of one benchmark task (gsm8k and gsm8k_cot, minerva_math_algebra and hendrycks_math_algebra): the
  // preferred variant keeps the mapped task name, the others become tasks named by their lm-eval name.
  std::vector<size_t> order(files.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    int ra = lm_eval_variant_rank(files[a].task), rb = lm_eval_variant_rank(files[b].task);
    return ra != rb ? ra < rb : files[a].task < files[b].task;
  });
  std::vector<BenchmarkTask> taken;
  for (size_t i : order) {
    SamplesFile& file = files[i];
    if (std::find(taken.begin(), taken.end(), file.mapped) != taken.end()) {
      BenchmarkTask apart{file.mapped.benchmark, file.task};
      if (std::find(taken.begin(), taken.end(), apart) != taken.end()) {
        throw_input_error(fmt::format("task '{}' appears twice; ingest the two folders as separate runs", file.task),
                          {file.path.string(), 0, ""});
      }
      if (notes) {
        notes->push_back(fmt::format("task '{}' is a variant of {}/{} already in this run; kept apart as {}/{}",
                                     file.task, file.mapped.benchmark, file.mapped.task, apart.benchmark, apart.task));
      }
      file.mapped = apart;
    }
    taken.push_back(file.mapped);
  }

  // Model, generation settings and the harness's aggregates from the results files beside the samples.
  std::map<fs::path, LmEvalResults> results_by_file;
  std::map<std::string, LmEvalTaskSettings> settings;
  std::vector<std::string> tasks;
  std::vector<std::pair<std::string, std::string>> harness_tasks;
  std::string model, checkpoint;
  for (const SamplesFile& file : files) {
    tasks.push_back(file.task);
    harness_tasks.emplace_back(file.mapped.benchmark + "/" + file.mapped.task, file.task);
    fs::path results_path = results_file_for(file.path, file.date);
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
    auto aggregates = results.aggregates.find(file.task);
    if (aggregates != results.aggregates.end()) {
      for (HarnessAggregate a : aggregates->second) {
        a.benchmark = file.mapped.benchmark;
        a.task = file.mapped.task;
        run.harness_aggregates.push_back(std::move(a));
      }
    }
  }
  run.harness = "lm-eval";
  if (run.model.empty()) run.model = model;
  if (run.checkpoint.empty()) run.checkpoint = checkpoint;
  run.generation = merge_generation_settings(tasks, settings, harness_tasks);
  sink.begin_run(run);

  JsonParser parser;
  for (const SamplesFile& file : files) {
    auto task = settings.find(file.task);
    std::string delimiter = task != settings.end() ? task->second.target_delimiter : " ";
    for (LmEvalItem& item : read_lm_eval_samples(file.path, file.mapped, parser, progress, delimiter)) {
      sink.add_owned_item(std::move(item.item), std::move(item.responses));
    }
  }
}

}  // namespace caploop
