#include "io/opencompass_importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
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

bool is_prediction_file_name(const std::string& name) {
  return name_without_compression(fs::path(name)).ends_with(".json");
}

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

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// An OpenCompass work folder (outputs/<config>/<timestamp>) holds predictions/ (and results/ once evaluated).
bool is_work_folder(const fs::path& p) { return is_dir(p / "predictions"); }

// The latest timestamp folder below outputs/<config> (OpenCompass names them YYYYMMDD_HHMMSS), or empty.
fs::path latest_work_folder(const fs::path& dir) {
  fs::path latest;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory() && is_work_folder(entry.path()) &&
        (latest.empty() || entry.path().filename() > latest.filename())) {
      latest = entry.path();
    }
  }
  return latest;
}

// The model folder among a predictions folder's: the one named `model` when given, else the only one.
fs::path choose_model(const fs::path& predictions, const std::string& model) {
  std::vector<fs::path> models = model_folders_in(predictions);
  if (models.empty()) {
    throw Error(ErrorKind::kNotFound, "no OpenCompass prediction files (*.json) in folder",
                {predictions.string(), 0, ""});
  }
  if (!model.empty()) {
    for (const fs::path& m : models) {
      if (m.filename() == model) return m;
    }
  }
  if (models.size() > 1 || !model.empty()) {
    std::string names;
    for (const fs::path& m : models) names += (names.empty() ? "" : ", ") + m.filename().string();
    if (!model.empty()) {
      throw Error(ErrorKind::kNotFound,
                  fmt::format("{} holds no predictions of model '{}' (it has {})", predictions.string(), model, names));
    }
    throw_usage_error(fmt::format("{} holds predictions of several models ({}); pass --model NAME or one model folder",
                                  predictions.string(), names));
  }
  return models.front();
}

// Expands the user's paths into prediction files; all must come from one model folder. `model` (from --model)
// picks a model folder where there are several.
std::vector<fs::path> prediction_files(const std::vector<fs::path>& paths, const std::string& model) {
  std::vector<fs::path> files;
  for (fs::path path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(ErrorKind::kNotFound, "file not found", {path.string(), 0, ""});
    if (!is_dir(path)) {
      files.push_back(path);
      continue;
    }
    std::vector<fs::path> here = json_files_in(path);
    if (here.empty()) {
      if (!is_work_folder(path)) {
        if (fs::path latest = latest_work_folder(path); !latest.empty()) path = latest;  // outputs/<config>
      }
      if (is_work_folder(path)) path /= "predictions";
      here = json_files_in(choose_model(path, model));
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

// The part number of a split file's stem `<dataset>_<k>` (OpenCompass's SizePartitioner names the k-th part of
// a dataset so), or nullopt.
std::optional<std::pair<std::string, int64_t>> split_part(const std::string& stem) {
  size_t underscore = stem.rfind('_');
  int64_t number = -1;
  // A suffix too large for int64 is not a part number: the file is a dataset of its own.
  if (underscore == std::string::npos || underscore == 0 || underscore + 1 >= stem.size() ||
      !std::all_of(stem.begin() + underscore + 1, stem.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::from_chars(stem.data() + underscore + 1, stem.data() + stem.size(), number).ec != std::errc()) {
    return std::nullopt;
  }
  return std::make_pair(stem.substr(0, underscore), number);
}

// Groups split files <name>_<k>.json into one dataset <name>, also a lone part (gsm8k_1.json is part 1 of gsm8k).
std::vector<Dataset> group_datasets(const std::vector<fs::path>& files) {
  std::set<std::string> stems;
  for (const fs::path& f : files) stems.insert(fs::path(name_without_compression(f)).stem().string());
  std::map<std::string, Dataset> by_name;
  for (const fs::path& f : files) {
    std::string stem = fs::path(name_without_compression(f)).stem().string();
    std::string name = stem;
    int64_t part = -1;
    auto split = split_part(stem);
    // A whole file <name>.json beside <name>_<k>.json keeps the parts apart (they are datasets of their own).
    if (split && stems.count(split->first) == 0) {
      name = split->first;
      part = split->second;
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

std::optional<int64_t> key_number(std::string_view key) {
  int64_t n = -1;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
  if (ec != std::errc() || end != key.data() + key.size() || n < 0 || (key.size() > 1 && key[0] == '0')) {
    return std::nullopt;
  }
  return n;
}

// Per-item correctness OpenCompass recorded for a dataset (results/<model>/<dataset>.json "details", written
// with --dump-eval-details), by the item's index in the whole dataset: one value per prediction.
using ItemCorrectness = std::map<int64_t, std::vector<double>>;

// One part of a dataset. OpenCompass numbers each part's records from "0" again; the items of part k follow
// those of the parts before it (`offset`), as OpenCompass concatenates them to evaluate. Parts whose keys
// continue from the earlier parts ("3", "4" after "0".."2") are read as they are.
int64_t read_part(const fs::path& path, const BenchmarkTask& task, int64_t part, int64_t offset, JsonParser& parser,
                  std::set<std::string>& seen_ids, const ItemCorrectness& correctness, IngestSink& sink,
                  Progress* progress) {
  std::string text = read_whole_file(path);
  SourceLocation file{path.string(), 0, ""};
  element root = parser.parse(text, file);
  if (progress != nullptr) progress->advance(text.size());
  simdjson::dom::object records = as_object(root, "", file);
  if (records.size() == 0) throw_input_error("no predictions: the file holds an empty object", file);
  // Keys restart at "0" in a real split part; then each id is the offset plus the key.
  bool restart = false;
  if (part > 0 || (part == 0 && offset > 0)) {
    std::optional<int64_t> first;
    for (auto [key, record] : records) {
      first = key_number(key);
      break;
    }
    restart = first == 0;
    if (offset == 0 && restart && part > 0) {
      throw_input_error(fmt::format("this is part {} of dataset '{}' (OpenCompass restarts each part's keys at \"0\"), "
                                    "but part 0 is not among the inputs, so its items' places in the dataset are "
                                    "unknown; pass every part",
                                    part, task.task),
                        file);
    }
  }
  int64_t count = 0;
  for (auto [key, record] : records) {
    SourceLocation where{path.string(), 0, json_pointer_token(key)};
    as_object(record, "", where);
    std::string id(key);
    if (restart) {
      std::optional<int64_t> n = key_number(key);
      if (!n) throw_input_error("a key that is not a record number in a split part", where);
      id = std::to_string(offset + *n);
    }
    if (!seen_ids.insert(id).second) {
      throw_input_error(fmt::format("item {} appears in an earlier part of this dataset too", id), where);
    }
    ItemRecord item;
    item.benchmark = task.benchmark;
    item.task = task.task;
    item.source_id = id;
    element prompt = json_require(record, "/origin_prompt", where);
    // Chat models get a list of {role, prompt} messages; it is kept as JSON text.
    item.prompt = prompt.is_string() ? std::string(prompt.get_string().value_unsafe()) : json_minified(prompt);
    std::optional<element> gold = json_find(record, "/gold", where);
    if (!gold) gold = json_find(record, "/reference", where);
    if (!gold) throw_input_error("missing field (neither gold nor reference)", at_field(where, "/gold"));
    item.reference = json_text(*gold);
    item.origin = where;
    std::vector<ResponseRecord> responses = read_predictions(record, where);
    if (std::optional<int64_t> index = key_number(id)) {
      if (auto c = correctness.find(*index); c != correctness.end()) {
        for (size_t i = 0; i < responses.size() && i < c->second.size(); ++i) {
          responses[i].harness_metrics.emplace_back("accuracy,none", c->second[i]);
        }
      }
    }
    sink.add_item(item, std::move(responses));
    ++count;
  }
  return count;
}

// The results folder of a model folder predictions/<model> in a work folder: results/<model>, if it exists.
fs::path results_folder(const fs::path& model_folder) {
  fs::path results = model_folder.parent_path().parent_path() / "results" / model_folder.filename();
  return is_dir(results) ? results : fs::path();
}

// results/<model>/<dataset>.json: {"accuracy": 56.25, ..., "details": {"0": {..., "correct": true}, ...}}.
// OpenCompass reports accuracy in percent; the aggregate is kept as a fraction, like the per-item values.
void read_results(const fs::path& path, const BenchmarkTask& task, JsonParser& parser, RunInfo& run,
                  ItemCorrectness& correctness) {
  std::string text = read_whole_file(path);
  SourceLocation file{path.string(), 0, ""};
  element root = parser.parse(text, file);
  simdjson::dom::object fields = as_object(root, "", file);
  for (auto [key, value] : fields) {
    if ((key == "accuracy" || key == "score") && json_double(value)) {
      HarnessAggregate a;
      a.benchmark = task.benchmark;
      a.task = task.task;
      a.metric = "accuracy,none";
      a.value = *json_double(value) / 100.0;
      run.harness_aggregates.push_back(std::move(a));
      break;
    }
  }
  std::optional<element> details = json_find(root, "/details", file);
  simdjson::dom::object by_index;
  if (!details || details->get_object().get(by_index) != simdjson::SUCCESS) return;
  for (auto [key, detail] : by_index) {
    std::optional<int64_t> index = key_number(key);
    if (!index || !detail.is_object()) continue;  // "type": "GEN"
    std::optional<element> correct =
        json_find(detail, "/correct", at_field(file, "/details" + json_pointer_token(key)));
    if (!correct) continue;
    std::vector<double>& values = correctness[*index];
    auto add = [&values](element v) {
      if (v.is_bool()) {
        values.push_back(v.get_bool().value_unsafe() ? 1.0 : 0.0);
      } else if (auto d = json_double(v)) {
        values.push_back(*d);
      }
    };
    simdjson::dom::array list;
    if (correct->get_array().get(list) == simdjson::SUCCESS) {
      for (element v : list) add(v);
    } else {
      add(*correct);
    }
  }
}

}  // namespace

void import_opencompass(const std::vector<fs::path>& paths, RunInfo run, IngestSink& sink, Progress* progress) {
  std::vector<fs::path> files = prediction_files(paths, run.model);
  if (files.empty()) throw_usage_error("no OpenCompass prediction files given");
  std::vector<Dataset> datasets = group_datasets(files);
  run.harness = "opencompass";
  if (run.model.empty()) run.model = files.front().parent_path().filename().string();
  JsonParser parser;
  // The harness's own results, when the run was evaluated: aggregates for the run, correctness per item.
  const fs::path results = results_folder(files.front().parent_path());
  std::map<std::string, ItemCorrectness> correctness;
  for (const Dataset& dataset : datasets) {
    fs::path file = results.empty() ? fs::path() : results / (dataset.name + ".json");
    std::error_code ec;
    if (!file.empty() && fs::is_regular_file(file, ec)) {
      read_results(file, map_opencompass_dataset(dataset.name), parser, run, correctness[dataset.name]);
    }
  }
  sink.begin_run(run);
  for (const Dataset& dataset : datasets) {
    BenchmarkTask task = map_opencompass_dataset(dataset.name);
    std::set<std::string> seen_ids;
    int64_t offset = 0;
    for (const auto& [part, path] : dataset.parts) {
      offset += read_part(path, task, part, offset, parser, seen_ids, correctness[dataset.name], sink, progress);
    }
  }
}

}  // namespace caploop
