#include "io/evalscope_importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "io/chat_content.h"
#include "io/importer_files.h"
#include "io/json_fields.h"
#include "io/json_parser.h"
#include "io/line_reader.h"

namespace caploop {

namespace fs = std::filesystem;
using simdjson::dom::element;

namespace {

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

std::vector<fs::path> entries_in(const fs::path& dir, bool folders) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (folders ? e.is_directory() : (e.is_regular_file() && e.path().extension() == ".jsonl")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// An EvalScope timestamp folder holds reviews/ (and predictions/, reports/).
bool is_work_folder(const fs::path& p) { return is_dir(p / "reviews"); }

fs::path choose_model(const fs::path& reviews, const std::string& model) {
  std::vector<fs::path> models = entries_in(reviews, true);
  if (models.empty()) throw Error(ErrorKind::kNotFound, "no model folders in reviews/", {reviews.string(), 0, ""});
  for (const fs::path& m : models) {
    if (!model.empty() && m.filename() == model) return m;
  }
  if (models.size() == 1 && model.empty()) return models.front();
  std::string names;
  for (const fs::path& m : models) names += (names.empty() ? "" : ", ") + m.filename().string();
  if (!model.empty()) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("{} holds no reviews of model '{}' (it has {})", reviews.string(), model, names));
  }
  throw_usage_error(fmt::format("{} holds reviews of several models ({}); pass --model NAME", reviews.string(), names));
}

std::vector<fs::path> review_files(const std::vector<fs::path>& paths, const std::string& model) {
  std::vector<fs::path> files;
  for (fs::path path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(ErrorKind::kNotFound, "file not found", {path.string(), 0, ""});
    if (!is_dir(path)) {
      files.push_back(path);
      continue;
    }
    if (!is_work_folder(path) && entries_in(path, false).empty()) {
      fs::path latest;  // outputs/: the latest timestamp folder
      for (const fs::path& d : entries_in(path, true)) {
        if (is_work_folder(d)) latest = d;
      }
      if (latest.empty()) {
        throw Error(ErrorKind::kNotFound, "no EvalScope reviews (reviews/<model>/*.jsonl) in folder",
                    {path.string(), 0, ""});
      }
      path = latest;
    }
    if (is_work_folder(path)) path = choose_model(path / "reviews", model);
    std::vector<fs::path> here = entries_in(path, false);
    if (here.empty()) throw Error(ErrorKind::kNotFound, "no review files (*.jsonl) in folder", {path.string(), 0, ""});
    files.insert(files.end(), here.begin(), here.end());
  }
  for (const fs::path& f : files) {
    if (f.parent_path() != files.front().parent_path()) {
      throw_usage_error(fmt::format("review files of several models or runs ({} and {}); pass one per run",
                                    files.front().string(), f.string()));
    }
  }
  return files;
}

// caploop's (benchmark, task) for EvalScope's benchmark and subset names.
std::pair<std::string, std::string> benchmark_task(const std::string& benchmark, const std::string& subset) {
  static const std::map<std::string, std::pair<std::string, std::string>> kKnown = {
      {"gsm8k", {"gsm8k", "gsm8k"}},
      {"math_500", {"math", "math500"}},
      {"competition_math", {"math", "math"}},
      {"aime24", {"aime", "aime24"}},
      {"aime25", {"aime", "aime25"}},
      {"mmlu", {"mmlu", "mmlu"}},
      {"mmlu_pro", {"mmlu_pro", "mmlu_pro"}},
      {"bbh", {"bbh", "bbh"}},
      {"gpqa_diamond", {"gpqa", "gpqa_diamond"}},
  };
  auto it = kKnown.find(benchmark);
  std::pair<std::string, std::string> out = it != kKnown.end() ? it->second : std::make_pair(benchmark, benchmark);
  if (subset != "main" && subset != "default" && !subset.empty()) out.second = subset;
  return out;
}

// Splits "<benchmark>_<subset>" using the benchmarks that have reports, else EvalScope's known names, else the
// first underscore.
std::pair<std::string, std::string> split_name(const std::string& stem, const std::vector<std::string>& reported) {
  static const char* kNames[] = {
      "gsm8k",     "math_500",     "competition_math", "aime24",      "aime25", "mmlu_pro",  "mmlu",
      "bbh",       "gpqa_diamond", "ifeval",           "iquiz",       "ceval",  "cmmlu",     "arc",
      "hellaswag", "humaneval",    "live_code_bench",  "truthful_qa", "race",   "trivia_qa", "drop"};
  std::string best;
  auto consider = [&](const std::string& name) {
    if (stem.size() > name.size() + 1 && stem.starts_with(name) && stem[name.size()] == '_' &&
        name.size() > best.size()) {
      best = name;
    }
  };
  for (const std::string& r : reported) consider(r);
  if (best.empty()) {
    for (const char* n : kNames) consider(n);
  }
  if (best.empty()) {
    size_t underscore = stem.find('_');
    if (underscore == std::string::npos || underscore == 0) return {stem, ""};
    best = stem.substr(0, underscore);
  }
  return {best, stem.substr(best.size() + 1)};
}

struct Prediction {
  std::string text;
  std::optional<std::string> stop_reason;
  std::optional<int64_t> output_tokens;
};

// The assistant's text of a model_output: its first choice's message content.
std::optional<Prediction> read_prediction(element record, const SourceLocation& where) {
  Prediction p;
  std::optional<element> choice = json_find(record, "/model_output/choices/0", where);
  if (!choice) return std::nullopt;
  SourceLocation at = at_field(where, "/model_output/choices/0");
  if (std::optional<element> content = json_find(*choice, "/message/content", at); content && !content->is_null()) {
    p.text = chat_content_text(*content, "/model_output/choices/0/message/content", where);
  }
  if (std::optional<element> stop = json_find(*choice, "/stop_reason", at); stop && stop->is_string()) {
    p.stop_reason = std::string(stop->get_string().value_unsafe());
  }
  if (std::optional<element> tokens = json_find(record, "/model_output/usage/output_tokens", where)) {
    int64_t n;
    if (tokens->get_int64().get(n) == simdjson::SUCCESS) p.output_tokens = n;
  }
  return p;
}

struct ReviewRead {
  int64_t group = 0;
  int64_t sample = 0;
  ItemRecord item;
  ResponseRecord response;
};

ReviewRead read_review(element record, const SourceLocation& where, const std::map<int64_t, Prediction>& predictions) {
  ReviewRead r;
  const int64_t index = json_int64(record, "/index", where);
  r.sample = index;
  r.group = index;
  if (std::optional<element> g = json_find(record, "/sample_score/group_id", where); g && !g->is_null()) {
    r.group = json_int64(record, "/sample_score/group_id", where);
  }
  ItemRecord& item = r.item;
  item.source_id = std::to_string(r.group);
  item.origin = where;
  if (std::optional<element> target = json_find(record, "/target", where); target && !target->is_null()) {
    item.reference = json_text(*target);
  }
  // The prompt: the messages before the model's answer (one user message as its text, several as JSON).
  std::optional<element> messages = json_find(record, "/messages", where);
  if (!messages) messages = json_find(record, "/input", where);  // reviews before 1.1 kept the input as text
  std::string answer_from_messages;
  if (messages && messages->is_string()) {
    item.prompt = std::string(messages->get_string().value_unsafe());
  } else if (messages && messages->is_array()) {
    std::vector<element> before;
    int64_t i = 0, last_assistant = -1;
    simdjson::dom::array list = as_array(*messages, "/messages", where);
    for (element m : list) {
      std::optional<element> role = json_find(m, "/role", at_field(where, fmt::format("/messages/{}", i)));
      if (role && role->is_string() && role->get_string().value_unsafe() == "assistant") last_assistant = i;
      ++i;
    }
    i = 0;
    std::string json = "[";
    for (element m : list) {
      if (i == last_assistant) {
        answer_from_messages =
            chat_content_text(json_require(m, "/content", where), fmt::format("/messages/{}/content", i), where);
        break;
      }
      before.push_back(m);
      json += (json.size() > 1 ? "," : "") + json_minified(m);
      ++i;
    }
    if (before.size() == 1) {
      item.prompt = chat_content_text(json_require(before[0], "/content", where), "/messages/0/content", where);
    } else {
      item.prompt = json + "]";
    }
  }
  if (std::optional<element> meta = json_find(record, "/sample_score/sample_metadata", where);
      meta && meta->is_object()) {
    item.metadata_json = json_minified(*meta);
  }

  ResponseRecord& response = r.response;
  if (auto p = predictions.find(index); p != predictions.end()) {
    response.text = p->second.text;
    response.finish_reason = p->second.stop_reason;
    response.n_tokens = p->second.output_tokens;
  } else if (std::optional<element> pred = json_find(record, "/sample_score/score/prediction", where);
             pred && pred->is_string()) {
    response.text = std::string(pred->get_string().value_unsafe());
  } else {
    response.text = answer_from_messages;
  }
  if (std::optional<element> value = json_find(record, "/sample_score/score/value", where)) {
    simdjson::dom::object values;
    if (value->get_object().get(values) == simdjson::SUCCESS) {
      for (auto [name, v] : values) {
        if (v.is_bool()) {
          response.harness_metrics.emplace_back(std::string(name) + ",none", v.get_bool().value_unsafe() ? 1.0 : 0.0);
        } else if (std::optional<double> d = json_double(v)) {
          response.harness_metrics.emplace_back(std::string(name) + ",none", *d);
        }
      }
    }
  }
  return r;
}

// reports/<model>/<benchmark>.json: metrics[] {name: "mean_acc", categories[] {subsets[] {name, score}}}.
void read_report(const fs::path& path, const std::string& benchmark, JsonParser& parser, RunInfo& run) {
  std::string text = read_whole_file(path);
  SourceLocation file{path.string(), 0, ""};
  element root = parser.parse(text, file);
  std::optional<element> metrics = json_find(root, "/metrics", file);
  if (!metrics || !metrics->is_array()) return;
  int64_t m = 0;
  for (element metric : as_array(*metrics, "/metrics", file)) {
    SourceLocation at = at_field(file, fmt::format("/metrics/{}", m++));
    std::string name(json_string(metric, "/name", at));
    if (name.starts_with("mean_")) name = name.substr(5);
    std::optional<element> categories = json_find(metric, "/categories", at);
    if (!categories || !categories->is_array()) continue;
    for (element category : as_array(*categories, "/categories", at)) {
      std::optional<element> subsets = json_find(category, "/subsets", at);
      if (!subsets || !subsets->is_array()) continue;
      for (element subset : as_array(*subsets, "/subsets", at)) {
        std::optional<element> subset_name = json_find(subset, "/name", at);
        std::optional<element> score = json_find(subset, "/score", at);
        if (!subset_name || !subset_name->is_string() || !score || !json_double(*score)) continue;
        auto [b, t] = benchmark_task(benchmark, std::string(subset_name->get_string().value_unsafe()));
        HarnessAggregate a;
        a.benchmark = b;
        a.task = t;
        a.metric = name + ",none";
        a.value = *json_double(*score);
        run.harness_aggregates.push_back(std::move(a));
      }
    }
  }
}

}  // namespace

void import_evalscope(const std::vector<fs::path>& paths, RunInfo run, IngestSink& sink, Progress* progress) {
  std::vector<fs::path> files = review_files(paths, run.model);
  const fs::path model_folder = files.front().parent_path();
  const fs::path work = model_folder.parent_path().parent_path();
  const fs::path predictions_folder = work / "predictions" / model_folder.filename();
  const fs::path reports_folder = work / "reports" / model_folder.filename();
  run.harness = "evalscope";
  if (run.model.empty()) run.model = model_folder.filename().string();

  std::vector<std::string> reported;
  if (is_dir(reports_folder)) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(reports_folder, ec)) {
      if (e.path().extension() == ".json") reported.push_back(e.path().stem().string());
    }
    std::sort(reported.begin(), reported.end());
  }
  JsonParser parser;
  std::set<std::string> benchmarks;
  for (const fs::path& f : files) benchmarks.insert(split_name(f.stem().string(), reported).first);
  for (const std::string& b : benchmarks) {
    fs::path report = reports_folder / (b + ".json");
    std::error_code ec;
    if (fs::is_regular_file(report, ec)) read_report(report, b, parser, run);
  }
  sink.begin_run(run);

  for (const fs::path& file : files) {
    auto [benchmark, subset] = split_name(file.stem().string(), reported);
    auto [caploop_benchmark, task] = benchmark_task(benchmark, subset);
    std::map<int64_t, Prediction> predictions;
    fs::path prediction_file = predictions_folder / file.filename();
    std::error_code ec;
    if (fs::is_regular_file(prediction_file, ec)) {
      read_json_records(prediction_file, JsonLayout::kLines, "", parser, progress,
                        [&](element record, const SourceLocation& where) {
                          int64_t index = json_int64(record, "/index", where);
                          if (std::optional<Prediction> p = read_prediction(record, where))
                            predictions[index] = std::move(*p);
                        });
    }
    std::vector<ReviewRead> reviews;
    read_json_records(file, JsonLayout::kLines, "", parser, progress, [&](element record, const SourceLocation& where) {
      reviews.push_back(read_review(record, where, predictions));
    });
    std::stable_sort(reviews.begin(), reviews.end(), [](const ReviewRead& a, const ReviewRead& b) {
      return a.group != b.group ? a.group < b.group : a.sample < b.sample;
    });
    for (size_t i = 0; i < reviews.size();) {
      std::vector<ResponseRecord> responses;
      size_t j = i;
      for (; j < reviews.size() && reviews[j].group == reviews[i].group; ++j) {
        if (j > i && reviews[j].sample == reviews[j - 1].sample) {
          throw_input_error(fmt::format("sample {} appears twice (also at line {})", reviews[j].sample,
                                        reviews[j - 1].item.origin.line),
                            reviews[j].item.origin);
        }
        reviews[j].response.sample_index = static_cast<int64_t>(responses.size());
        responses.push_back(std::move(reviews[j].response));
      }
      ItemRecord item = std::move(reviews[i].item);
      item.benchmark = caploop_benchmark;
      item.task = task;
      sink.add_item(item, std::move(responses));
      i = j;
    }
  }
}

}  // namespace caploop
