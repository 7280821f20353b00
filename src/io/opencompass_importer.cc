#include "io/opencompass_importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "io/importer_files.h"
#include "io/json_fields.h"
#include "io/json_parser.h"
#include "io/line_reader.h"
#include "io/task_names.h"

namespace caploop {

namespace fs = std::filesystem;
using simdjson::dom::element;

namespace {

bool is_prediction_file_name(const std::string& name) { return name_without_compression(fs::path(name)).ends_with(".json"); }

std::vector<fs::path> json_files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && is_prediction_file_name(entry.path().filename().string())) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> model_folders_in(const fs::path& dir) {
  std::vector<fs::path> folders;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory() && !json_files_in(entry.path()).empty()) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

// Expands the user's paths into prediction files; all must come from one model folder.
std::vector<fs::path> prediction_files(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(ErrorKind::kNotFound, "file not found", {path.string(), 0, ""});
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<fs::path> here = json_files_in(path);
    if (here.empty()) {
      std::vector<fs::path> models = model_folders_in(path);
      if (models.empty()) {
        throw Error(ErrorKind::kNotFound, "no OpenCompass prediction files (*.json) in folder", {path.string(), 0, ""});
      }
      if (models.size() > 1) {
        std::string names;
        for (const fs::path& m : models) names += (names.empty() ? "" : ", ") + m.filename().string();
        throw_usage_error(fmt::format("{} holds predictions of several models ({}); pass one model folder per run",
                                      path.string(), names));
      }
      here = json_files_in(models.front());
    }
    files.insert(files.end(), here.begin(), here.end());
  }
  for (const fs::path& f : files) {
    if (f.parent_path().filename() != files.front().parent_path().filename()) {
      throw_usage_error(fmt::format("prediction files of several models ({} and {}); pass one model per run",
                                    files.front().string(), f.string()));
    }
  }
  return files;
}

struct Dataset {
  std::string name;
  std::vector<std::pair<int64_t, fs::path>> parts;  // (part number, file); a single file is part -1
};

// Groups split files <name>_<k>.json (when <name>_0.json is among them) into one dataset.
std::vector<Dataset> group_datasets(const std::vector<fs::path>& files) {
  std::set<std::string> stems;
  for (const fs::path& f : files) stems.insert(fs::path(name_without_compression(f)).stem().string());
  std::map<std::string, Dataset> by_name;
  for (const fs::path& f : files) {
    std::string stem = fs::path(name_without_compression(f)).stem().string();
    std::string name = stem;
    int64_t part = -1;
    size_t underscore = stem.rfind('_');
    // A suffix too large for int64 is not a part number: the file is a dataset of its own.
    int64_t number = -1;
    if (underscore != std::string::npos && underscore + 1 < stem.size() &&
        std::all_of(stem.begin() + underscore + 1, stem.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        std::from_chars(stem.data() + underscore + 1, stem.data() + stem.size(), number).ec == std::errc() &&
        stems.count(stem.substr(0, underscore) + "_0") > 0) {
      name = stem.substr(0, underscore);
      part = number;
    }
    Dataset& d = by_name[name];
    d.name = name;
    d.parts.emplace_back(part, f);
  }
  std::vector<Dataset> out;
  for (auto& [name, d] : by_name) {
    std::sort(d.parts.begin(), d.parts.end());
    for (size_t i = 1; i < d.parts.size(); ++i) {
      if (d.parts[i].first == d.parts[i - 1].first) {
        throw_usage_error(fmt::format("two files for part {} of dataset '{}': {} and {}", d.parts[i].first, name,
                                      d.parts[i - 1].second.string(), d.parts[i].second.string()));
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<ResponseRecord> read_predictions(element record, const SourceLocation& where) {
  element prediction = json_require(record, "/prediction", where);
  std::vector<ResponseRecord> out;
  auto add = [&out](std::string_view text) {
    ResponseRecord r;
    r.sample_index = static_cast<int64_t>(out.size());
    r.text = std::string(text);
    out.push_back(std::move(r));
  };
  if (prediction.is_array()) {
    int64_t i = 0;
    for (element p : as_array(prediction, "/prediction", where)) {
      add(as_string(p, fmt::format("/prediction/{}", i++), where));
    }
    if (out.empty()) throw_input_error("no predictions", at_field(where, "/prediction"));
  } else {
    add(as_string(prediction, "/prediction", where));
  }
  return out;
}

void read_part(const fs::path& path, const BenchmarkTask& task, JsonParser& parser, std::set<std::string>& seen_ids,
               IngestSink& sink, Progress* progress) {
  std::string text = read_whole_file(path);
  SourceLocation file{path.string(), 0, ""};
  element root = parser.parse(text, file);
  if (progress != nullptr) progress->advance(text.size());
  simdjson::dom::object records = as_object(root, "", file);
  if (records.size() == 0) throw_input_error("no predictions: the file holds an empty object", file);
  for (auto [key, record] : records) {
    SourceLocation where{path.string(), 0, json_pointer_token(key)};
    as_object(record, "", where);
    if (!seen_ids.insert(std::string(key)).second) {
      throw_input_error("the same key appears in an earlier part of this dataset", where);
    }
    ItemRecord item;
    item.benchmark = task.benchmark;
    item.task = task.task;
    item.source_id = std::string(key);
    element prompt = json_require(record, "/origin_prompt", where);
    // Chat models get a list of {role, prompt} messages; it is kept as JSON text.
    item.prompt = prompt.is_string() ? std::string(prompt.get_string().value_unsafe()) : json_minified(prompt);
    std::optional<element> gold = json_find(record, "/gold", where);
    if (!gold) gold = json_find(record, "/reference", where);
    if (!gold) throw_input_error("missing field (neither gold nor reference)", at_field(where, "/gold"));
    item.reference = json_text(*gold);
    item.origin = where;
    sink.add_item(item, read_predictions(record, where));
  }
}

}  // namespace

void import_opencompass(const std::vector<fs::path>& paths, RunInfo run, IngestSink& sink, Progress* progress) {
  std::vector<fs::path> files = prediction_files(paths);
  if (files.empty()) throw_usage_error("no OpenCompass prediction files given");
  std::vector<Dataset> datasets = group_datasets(files);
  run.harness = "opencompass";
  if (run.model.empty()) run.model = files.front().parent_path().filename().string();
  sink.begin_run(run);
  JsonParser parser;
  for (const Dataset& dataset : datasets) {
    BenchmarkTask task = map_opencompass_dataset(dataset.name);
    std::set<std::string> seen_ids;
    for (const auto& [part, path] : dataset.parts) read_part(path, task, parser, seen_ids, sink, progress);
  }
}

}  // namespace caploop
