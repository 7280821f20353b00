#include "io/inspect_importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "io/chat_content.h"
#include "io/importer_files.h"
#include "io/json_fields.h"
#include "io/json_parser.h"
#include "io/line_reader.h"
#include "io/zip_archive.h"

namespace caploop {

namespace fs = std::filesystem;
using simdjson::dom::element;

namespace {

// ---- task names ----

// Inspect task names ("gsm8k", "inspect_evals/gsm8k", "mmlu_0_shot") as caploop's (benchmark, task).
std::pair<std::string, std::string> inspect_benchmark_task(std::string_view name) {
  size_t slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  struct Known {
    std::string_view name, benchmark, task;
  };
  static constexpr Known kKnown[] = {
      {"gsm8k", "gsm8k", "gsm8k"},
      {"math", "math", "math"},
      {"mathematics", "math", "math"},
      {"math500", "math", "math500"},
      {"aime2024", "aime", "aime24"},
      {"aime2025", "aime", "aime25"},
      {"mmlu_0_shot", "mmlu", "mmlu"},
      {"mmlu_5_shot", "mmlu", "mmlu"},
      {"mmlu_pro", "mmlu_pro", "mmlu_pro"},
      {"gpqa_diamond", "gpqa", "gpqa_diamond"},
      {"bbh", "bbh", "bbh"},
  };
  for (const Known& k : kKnown) {
    if (name == k.name) return {std::string(k.benchmark), std::string(k.task)};
  }
  return {std::string(name), std::string(name)};
}

// ---- score values ----

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The harness metrics one sample's scores give: each scorer's value as "<scorer>,none"; a dict value gives
// "<scorer>/<key>,none" per key.
void add_score_metrics(element scores, const SourceLocation& where, ResponseRecord& response) {
  simdjson::dom::object by_scorer;
  if (scores.get_object().get(by_scorer) != simdjson::SUCCESS) return;  // null: not scored
  for (auto [scorer, score] : by_scorer) {
    std::string pointer = "/scores" + json_pointer_token(scorer);
    std::optional<element> value = json_find(score, "/value", where);
    if (!value) throw_input_error("missing field", at_field(where, pointer + "/value"));
    auto add = [&](const std::string& name, element v) {
      std::optional<double> number;
      if (v.is_bool()) {
        number = v.get_bool().value_unsafe() ? 1.0 : 0.0;
      } else if (auto d = json_double(v)) {
        number = *d;
      } else if (v.is_string()) {
        number = inspect_value_to_float(v.get_string().value_unsafe());
      }
      if (number) response.harness_metrics.emplace_back(name + ",none", *number);
    };
    simdjson::dom::object parts;
    if (value->get_object().get(parts) == simdjson::SUCCESS) {
      for (auto [key, v] : parts) add(fmt::format("{}/{}", scorer, key), v);
    } else {
      add(std::string(scorer), *value);
    }
  }
}

// ---- one sample ----

struct SampleRead {
  std::string id;                  // as text
  std::optional<int64_t> numeric;  // the id when it is an integer, for ordering
  int64_t epoch = 1;
  ItemRecord item;
  ResponseRecord response;
};

// A string field, with Inspect's "attachment://<hash>" references resolved from the sample's attachments.
std::string resolved(std::string_view text, element sample, const SourceLocation& where) {
  constexpr std::string_view kAttachment = "attachment://";
  if (!text.starts_with(kAttachment)) return std::string(text);
  std::optional<element> attachments = json_find(sample, "/attachments", where);
  simdjson::dom::object table;
  element content;
  if (attachments && attachments->get_object().get(table) == simdjson::SUCCESS &&
      table.at_key(text.substr(kAttachment.size())).get(content) == simdjson::SUCCESS && content.is_string()) {
    return std::string(content.get_string().value_unsafe());
  }
  return std::string(text);
}

// A chat message's text as Inspect's ChatMessage.text gives it, with attachments resolved.
std::string message_text(element content, std::string_view pointer, element sample, const SourceLocation& where) {
  return chat_content_text(content, pointer, where,
                           [&](std::string_view text) { return resolved(text, sample, where); });
}

SampleRead read_sample(element sample, const SourceLocation& where) {
  SampleRead s;
  element id = json_require(sample, "/id", where);
  if (id.is_int64() || id.is_uint64()) {
    int64_t n;
    if (id.get_int64().get(n) == simdjson::SUCCESS) s.numeric = n;
  } else if (!id.is_string()) {
    throw_input_error(fmt::format("expected a string or integer, found {}", json_type_name(id)),
                      at_field(where, "/id"));
  }
  s.id = json_text(id);
  if (s.id.empty()) throw_input_error("empty sample id", at_field(where, "/id"));
  if (std::optional<element> epoch = json_find(sample, "/epoch", where)) {
    s.epoch = json_int64(sample, "/epoch", where);
    if (s.epoch < 1)
      throw_input_error(fmt::format("epoch {} (epochs count from 1)", s.epoch), at_field(where, "/epoch"));
  }

  ItemRecord& item = s.item;
  item.source_id = s.id;
  item.origin = where;
  element input = json_require(sample, "/input", where);
  if (input.is_string()) {
    item.prompt = resolved(input.get_string().value_unsafe(), sample, where);
    item.question = item.prompt;
  } else {
    // A list of chat messages: the prompt is kept as JSON, the question is the last user message's text.
    simdjson::dom::array messages = as_array(input, "/input", where);
    item.prompt = json_minified(input);
    int64_t i = 0;
    for (element m : messages) {
      std::string pointer = fmt::format("/input/{}", i++);
      std::optional<element> role = json_find(m, "/role", at_field(where, pointer));
      if (role && role->is_string() && role->get_string().value_unsafe() == "user") {
        item.question =
            message_text(json_require(m, "/content", at_field(where, pointer)), pointer + "/content", sample, where);
      }
    }
  }
  element target = json_require(sample, "/target", where);
  std::string metadata = "{";
  if (target.is_array()) {
    simdjson::dom::array targets = as_array(target, "/target", where);
    if (targets.size() > 0) item.reference = json_text(targets.at(0).value_unsafe());
    metadata += "\"target\":" + json_minified(target);
  } else {
    item.reference = std::string(as_string(target, "/target", where));
  }
  for (std::string_view key : {"choices", "metadata"}) {
    std::optional<element> v = json_find(sample, fmt::format("/{}", key), where);
    if (!v || v->is_null()) continue;
    if (metadata.size() > 1) metadata += ",";
    metadata += fmt::format("\"{}\":{}", key, json_minified(*v));
  }
  item.metadata_json = metadata + "}";

  ResponseRecord& r = s.response;
  r.sample_index = s.epoch - 1;
  std::optional<element> output = json_find(sample, "/output", where);
  if (output && output->is_object()) {
    std::optional<element> completion = json_find(*output, "/completion", at_field(where, "/output"));
    if (completion && completion->is_string())
      r.text = resolved(completion->get_string().value_unsafe(), sample, where);
    std::optional<element> choice = json_find(*output, "/choices/0", at_field(where, "/output"));
    if (choice) {
      if (r.text.empty()) {
        if (std::optional<element> content =
                json_find(*choice, "/message/content", at_field(where, "/output/choices/0"))) {
          r.text = message_text(*content, "/output/choices/0/message/content", sample, where);
        }
      }
      if (std::optional<element> stop = json_find(*choice, "/stop_reason", at_field(where, "/output/choices/0"))) {
        if (stop->is_string()) r.finish_reason = std::string(stop->get_string().value_unsafe());
      }
    }
    if (std::optional<element> tokens = json_find(*output, "/usage/output_tokens", at_field(where, "/output"))) {
      int64_t n;
      if (tokens->get_int64().get(n) == simdjson::SUCCESS) r.n_tokens = n;
    }
  }
  if (!r.finish_reason) {
    std::optional<element> error = json_find(sample, "/error", where);
    if (error && !error->is_null()) r.finish_reason = "error";
  }
  if (std::optional<element> scores = json_find(sample, "/scores", where)) add_score_metrics(*scores, where, r);
  return s;
}

// ---- one log ----

struct LogRead {
  fs::path path;
  std::string task_name;
  std::string model;
  GenerationSettings generation;
  std::vector<HarnessAggregate> aggregates;  // benchmark/task filled in by the caller
  std::vector<SampleRead> samples;
};

GenerationSettings read_generation(element eval, const SourceLocation& where) {
  GenerationSettings g;
  std::optional<element> config = json_find(eval, "/model_generate_config", where);
  if (config && config->is_object()) {
    if (auto v = json_find(*config, "/max_tokens", where); v && !v->is_null()) {
      g.max_new_tokens = json_int64(*config, "/max_tokens", at_field(where, "/model_generate_config"));
    }
    if (auto v = json_find(*config, "/temperature", where); v && !v->is_null()) {
      g.temperature = as_number(*v, "/model_generate_config/temperature", where);
    }
    if (auto v = json_find(*config, "/top_p", where); v && !v->is_null()) {
      g.top_p = as_number(*v, "/model_generate_config/top_p", where);
    }
    if (auto v = json_find(*config, "/stop_seqs", where); v && v->is_array()) {
      for (element s : as_array(*v, "/model_generate_config/stop_seqs", where))
        g.stop_sequences.push_back(json_text(s));
    }
    g.extra_json = json_minified(*config);
  }
  if (auto epochs = json_find(eval, "/config/epochs", where); epochs && !epochs->is_null()) {
    g.repeats = json_int64(eval, "/config/epochs", where);
  }
  return g;
}

// The header's results.scores: for each score, its mean-type metric ("accuracy" or "mean") as "<score>,none"
// (the mean of the per-sample "<score>,none" metric, with "stderr" as its standard error), any other metric as
// "<score>:<metric>,none".
std::vector<HarnessAggregate> read_aggregates(element header, const SourceLocation& where) {
  std::vector<HarnessAggregate> out;
  std::optional<element> scores = json_find(header, "/results/scores", where);
  if (!scores || !scores->is_array()) return out;
  int64_t i = 0;
  for (element score : as_array(*scores, "/results/scores", where)) {
    std::string pointer = fmt::format("/results/scores/{}", i++);
    SourceLocation at = at_field(where, pointer);
    std::string name(json_string(score, "/name", at));
    std::optional<element> metrics = json_find(score, "/metrics", at);
    if (!metrics || !metrics->is_object()) continue;
    std::optional<double> stderr_value;
    if (auto s = json_find(*metrics, "/stderr/value", at))
      stderr_value = as_number(*s, pointer + "/metrics/stderr/value", where);
    for (auto [key, metric] : as_object(*metrics, pointer + "/metrics", where)) {
      if (key == "stderr") continue;
      SourceLocation metric_at = at_field(at, "/metrics" + json_pointer_token(key));
      HarnessAggregate a;
      a.value = as_number(json_require(metric, "/value", metric_at), "/value", metric_at);
      if (key == "accuracy" || key == "mean") {
        a.metric = name + ",none";
        a.stderr_value = stderr_value;
      } else {
        a.metric = fmt::format("{}:{},none", name, key);
      }
      out.push_back(std::move(a));
    }
  }
  return out;
}

void read_header(element header, const SourceLocation& where, LogRead& log) {
  element eval = json_require(header, "/eval", where);
  SourceLocation at = at_field(where, "/eval");
  log.task_name = std::string(json_string(eval, "/task", at));
  if (auto model = json_find(eval, "/model", at); model && model->is_string()) {
    log.model = std::string(model->get_string().value_unsafe());
  }
  log.generation = read_generation(eval, at);
  log.aggregates = read_aggregates(header, where);
}

bool is_eval_log_file(const fs::path& path) {
  std::string ext = path.extension().string();
  return ext == ".eval" || ext == ".json";
}

LogRead read_json_log(const fs::path& path, JsonParser& parser, Progress* progress) {
  LogRead log;
  log.path = path;
  std::string text = read_whole_file(path);
  SourceLocation file{path.string(), 0, ""};
  element root = parser.parse(text, file);
  if (progress != nullptr) progress->advance(text.size());
  as_object(root, "", file);
  read_header(root, file, log);
  std::optional<element> samples = json_find(root, "/samples", file);
  if (!samples || samples->is_null()) {
    throw_input_error("the log holds no samples (was it written with --no-log-samples?)", at_field(file, "/samples"));
  }
  int64_t i = 0;
  for (element sample : as_array(*samples, "/samples", file)) {
    SourceLocation where{path.string(), 0, fmt::format("/samples/{}", i++)};
    log.samples.push_back(read_sample(sample, where));
  }
  return log;
}

LogRead read_eval_log(const fs::path& path, JsonParser& parser, Progress* progress) {
  LogRead log;
  log.path = path;
  ZipArchive zip(path);
  auto location = [&](std::string_view entry) {
    return SourceLocation{path.string() + "/" + std::string(entry), 0, ""};
  };
  // header.json is written when the run ends; a log still running (or killed) has only _journal/start.json.
  const ZipArchive::Entry* header = zip.find("header.json");
  if (header == nullptr) header = zip.find("_journal/start.json");
  if (header == nullptr) {
    throw_input_error("not an Inspect .eval log: no header.json or _journal/start.json in the archive",
                      {path.string(), 0, ""});
  }
  {
    std::string text = zip.read(*header);
    read_header(parser.parse(text, location(header->name)), location(header->name), log);
  }
  for (const ZipArchive::Entry& entry : zip.entries()) {
    if (!entry.name.starts_with("samples/") || !entry.name.ends_with(".json")) continue;
    std::string text = zip.read(entry);
    if (progress != nullptr) progress->advance(entry.compressed_size);
    SourceLocation where = location(entry.name);
    log.samples.push_back(read_sample(parser.parse(text, where), where));
  }
  if (log.samples.empty())
    throw_input_error("the log holds no samples (no samples/*.json entries)", {path.string(), 0, ""});
  return log;
}

// A .json file in a folder is read only when it looks like an Inspect log (its top level has "eval").
bool json_file_is_log(const fs::path& path, JsonParser& parser) {
  std::string text = read_whole_file(path);
  try {
    element root = parser.parse(text, {path.string(), 0, ""});
    return json_find(root, "/eval/task", {path.string(), 0, ""}).has_value();
  } catch (const Error&) {
    return false;
  }
}

std::vector<fs::path> log_files(const std::vector<fs::path>& paths, JsonParser& parser) {
  std::vector<fs::path> files;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(ErrorKind::kNotFound, "file not found", {path.string(), 0, ""});
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    size_t before = files.size();
    for (const fs::path& f :
         find_files(path, [](const std::string& name) { return !name.starts_with(".") && is_eval_log_file(name); })) {
      if (f.extension() == ".eval" || json_file_is_log(f, parser)) files.push_back(f);
    }
    if (files.size() == before) {
      throw Error(ErrorKind::kNotFound, "no Inspect logs (*.eval, *.json) in folder", {path.string(), 0, ""});
    }
  }
  return files;
}

bool sample_before(const SampleRead& a, const SampleRead& b) {
  if (a.numeric.has_value() != b.numeric.has_value()) return a.numeric.has_value();  // numeric ids first
  if (a.numeric && *a.numeric != *b.numeric) return *a.numeric < *b.numeric;
  if (a.id != b.id) return a.id < b.id;
  return a.epoch < b.epoch;
}

}  // namespace

std::optional<double> inspect_value_to_float(std::string_view text) {
  if (text == "C") return 1.0;
  if (text == "P") return 0.5;
  if (text == "I" || text == "N") return 0.0;
  if (iequals(text, "yes") || iequals(text, "true")) return 1.0;
  if (iequals(text, "no") || iequals(text, "false")) return 0.0;
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(d)) return d;
  return std::nullopt;
}

void import_inspect(const std::vector<fs::path>& paths, RunInfo run, IngestSink& sink, Progress* progress) {
  JsonParser parser;
  std::vector<fs::path> files = log_files(paths, parser);
  if (files.empty()) throw_usage_error("no Inspect logs given");
  std::vector<LogRead> logs;
  for (const fs::path& f : files) {
    logs.push_back(ZipArchive::looks_like_zip(f) ? read_eval_log(f, parser, progress)
                                                 : read_json_log(f, parser, progress));
  }
  std::map<std::pair<std::string, std::string>, LogRead*> by_task;
  for (LogRead& log : logs) {
    auto [benchmark, task] = inspect_benchmark_task(log.task_name);
    auto [it, fresh] = by_task.emplace(std::make_pair(benchmark, task), &log);
    if (!fresh) {
      throw_usage_error(fmt::format("two Inspect logs of task {} ({} and {}); pass the one to ingest", log.task_name,
                                    it->second->path.string(), log.path.string()));
    }
    if (!logs.front().model.empty() && !log.model.empty() && log.model != logs.front().model && run.model.empty()) {
      throw_usage_error(fmt::format("logs of several models ({} in {}, {} in {}); pass one model per run",
                                    logs.front().model, logs.front().path.string(), log.model, log.path.string()));
    }
    for (HarnessAggregate& a : log.aggregates) {
      a.benchmark = benchmark;
      a.task = task;
      run.harness_aggregates.push_back(a);
    }
  }
  run.harness = "inspect";
  if (run.model.empty()) run.model = logs.front().model;
  run.generation = logs.front().generation;
  sink.begin_run(run);

  for (const auto& [key, log] : by_task) {
    std::vector<SampleRead> samples = std::move(log->samples);
    std::sort(samples.begin(), samples.end(), sample_before);
    for (size_t i = 0; i < samples.size();) {
      size_t j = i;
      std::vector<ResponseRecord> responses;
      for (; j < samples.size() && samples[j].id == samples[i].id; ++j) {
        if (j > i && samples[j].epoch == samples[j - 1].epoch) {
          throw_input_error(
              fmt::format("sample {} epoch {} appears twice (also at {}{})", samples[j].id, samples[j].epoch,
                          samples[j - 1].item.origin.file, samples[j - 1].item.origin.field),
              samples[j].item.origin);
        }
        responses.push_back(std::move(samples[j].response));
      }
      ItemRecord item = std::move(samples[i].item);
      item.benchmark = key.first;
      item.task = key.second;
      sink.add_item(item, std::move(responses));
      i = j;
    }
  }
}

}  // namespace caploop
