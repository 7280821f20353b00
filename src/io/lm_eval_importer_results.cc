#include "io/lm_eval_importer_results.h"

#include <fmt/format.h>

#include "core/json_writer.h"
#include "io/importer_files.h"
#include "io/json_fields.h"
#include "io/json_parser.h"
#include "io/line_reader.h"

namespace caploop {

namespace {

using simdjson::dom::element;

// The value of `key` in lm-eval's "k1=v1,k2=v2" model_args string, or "" when absent.
std::string model_arg(std::string_view args, std::string_view key) {
  size_t start = 0;
  while (start <= args.size()) {
    size_t end = args.find(',', start);
    if (end == std::string_view::npos) end = args.size();
    std::string_view pair = args.substr(start, end - start);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == key) return std::string(pair.substr(eq + 1));
    start = end + 1;
  }
  return "";
}

void read_model(element root, const SourceLocation& file, LmEvalResults& out) {
  if (auto name = json_find(root, "/model_name", file)) out.model = std::string(as_string(*name, "/model_name", file));
  auto args = json_find(root, "/config/model_args", file);
  if (!args) return;
  std::string pretrained, revision;
  if (args->is_string()) {
    std::string_view text = as_string(*args, "/config/model_args", file);
    pretrained = model_arg(text, "pretrained");
    revision = model_arg(text, "revision");
  } else if (args->is_object()) {
    if (auto p = json_find(*args, "/pretrained", file)) pretrained = json_text(*p);
    if (auto r = json_find(*args, "/revision", file)) revision = json_text(*r);
  }
  if (out.model.empty()) out.model = pretrained;
  out.checkpoint = revision;
}

std::optional<int64_t> optional_int(element value, std::string_view pointer, const SourceLocation& where) {
  int64_t n;
  if (value.get_int64().get(n) == simdjson::SUCCESS) return n;
  double d = as_number(value, pointer, where);  // lm-eval may write 256.0
  // Range check first: converting a double outside int64's range is undefined behaviour.
  if (!(d >= -0x1p63 && d < 0x1p63) || d != static_cast<double>(static_cast<int64_t>(d))) {
    throw_input_error("expected an integer", at_field(where, pointer));
  }
  return static_cast<int64_t>(d);
}

LmEvalTaskSettings read_task(element config, const SourceLocation& where) {
  LmEvalTaskSettings out;
  GenerationSettings& g = out.generation;
  JsonWriter raw;
  raw.begin_object();
  JsonWriter extra;
  extra.begin_object();
  if (auto kwargs = json_find(config, "/generation_kwargs", where)) {
    raw.key("generation_kwargs").raw(json_minified(*kwargs));
    for (auto [key, value] : as_object(*kwargs, "/generation_kwargs", where)) {
      std::string pointer = "/generation_kwargs" + json_pointer_token(key);
      if (key == "until") {
        if (value.is_string()) {
          g.stop_sequences.emplace_back(as_string(value, pointer, where));
        } else {
          int64_t i = 0;
          for (element stop : as_array(value, pointer, where)) {
            g.stop_sequences.emplace_back(as_string(stop, fmt::format("{}/{}", pointer, i++), where));
          }
        }
      } else if (key == "max_gen_toks") {
        g.max_new_tokens = optional_int(value, pointer, where);
      } else if (key == "temperature") {
        g.temperature = as_number(value, pointer, where);
      } else if (key == "top_p") {
        g.top_p = as_number(value, pointer, where);
      } else if (key == "do_sample") {
        bool b;
        if (value.get_bool().get(b) != simdjson::SUCCESS) {
          throw_input_error(fmt::format("expected a boolean, found {}", json_type_name(value)),
                            at_field(where, pointer));
        }
        g.do_sample = b;
      } else {
        out.unmapped.emplace_back(std::string(key), json_minified(value));
        extra.key(key).raw(out.unmapped.back().second);
      }
    }
  }
  if (auto repeats = json_find(config, "/repeats", where)) {
    g.repeats = optional_int(*repeats, "/repeats", where);
    raw.key("repeats").raw(json_minified(*repeats));
  }
  if (auto shots = json_find(config, "/num_fewshot", where); shots && !shots->is_null()) {
    out.num_fewshot = optional_int(*shots, "/num_fewshot", where);
    raw.key("num_fewshot").value(*out.num_fewshot);
  }
  if (auto delimiter = json_find(config, "/target_delimiter", where); delimiter && delimiter->is_string()) {
    out.target_delimiter = std::string(as_string(*delimiter, "/target_delimiter", where));
  }
  raw.end_object();
  extra.end_object();
  out.raw_json = raw.take();
  g.extra_json = extra.take();
  return out;
}

}  // namespace

LmEvalResults read_lm_eval_results(const std::filesystem::path& path) {
  std::string text = read_whole_file(path);
  SourceLocation file{path.string(), 0, ""};
  JsonParser parser;
  element root = parser.parse(text, file);
  as_object(root, "", file);
  LmEvalResults out;
  read_model(root, file, out);
  if (auto configs = json_find(root, "/configs", file)) {
    for (auto [task, config] : as_object(*configs, "/configs", file)) {
      SourceLocation where = at_field(file, "/configs" + json_pointer_token(task));
      as_object(config, "", where);
      out.tasks.emplace(std::string(task), read_task(config, where));
    }
  }
  // n-shot.<task> stands in for a config without num_fewshot.
  if (auto shots = json_find(root, "/n-shot", file); shots && shots->is_object()) {
    simdjson::dom::object counts = shots->get_object().value_unsafe();
    for (auto [task, n] : counts) {
      auto it = out.tasks.find(std::string(task));
      int64_t count;
      if (it != out.tasks.end() && !it->second.num_fewshot && n.get_int64().get(count) == simdjson::SUCCESS) {
        it->second.num_fewshot = count;
      }
    }
  }
  if (auto results = json_find(root, "/results", file); results && results->is_object()) {
    simdjson::dom::object per_task = results->get_object().value_unsafe();
    for (auto [task, metrics] : per_task) {
      if (!metrics.is_object()) continue;
      std::vector<HarnessAggregate>& list = out.aggregates[std::string(task)];
      simdjson::dom::object values = metrics.get_object().value_unsafe();
      for (auto [key, value] : values) {
        size_t comma = key.find(',');
        double number;
        if (comma == std::string_view::npos || key.substr(0, comma).ends_with("_stderr")) continue;
        if (value.get_double().get(number) != simdjson::SUCCESS) continue;  // "N/A", strings
        HarnessAggregate a;
        a.metric = std::string(key);
        a.value = number;
        std::string stderr_key = fmt::format("{}_stderr{}", key.substr(0, comma), key.substr(comma));
        element se;
        double se_value;
        if (metrics.at_key(stderr_key).get(se) == simdjson::SUCCESS &&
            se.get_double().get(se_value) == simdjson::SUCCESS) {
          a.stderr_value = se_value;
        }
        list.push_back(std::move(a));
      }
    }
  }
  return out;
}

GenerationSettings merge_generation_settings(const std::vector<std::string>& tasks,
                                             const std::map<std::string, LmEvalTaskSettings>& settings,
                                             const std::vector<std::pair<std::string, std::string>>& harness_tasks) {
  const LmEvalTaskSettings* first = nullptr;
  bool disagree = false;
  std::optional<int64_t> shots;
  bool shots_agree = true;
  for (const std::string& task : tasks) {
    auto it = settings.find(task);
    if (it == settings.end()) continue;
    if (first == nullptr) {
      first = &it->second;
    } else if (it->second.raw_json != first->raw_json) {
      disagree = true;
    }
    if (it->second.num_fewshot) {
      if (shots && *shots != *it->second.num_fewshot) shots_agree = false;
      shots = it->second.num_fewshot;
    }
  }
  GenerationSettings merged = first ? first->generation : GenerationSettings{};
  if (first == nullptr && harness_tasks.empty()) return merged;
  // The first task's unmapped keys, the shared shot count, every task's own settings verbatim when they
  // disagree, and which lm-eval task each caploop task came from.
  JsonWriter extra;
  extra.begin_object();
  if (first) {
    for (const auto& [key, value] : first->unmapped) extra.key(key).raw(value);
  }
  if (shots && shots_agree) extra.key("num_fewshot").value(*shots);
  if (disagree) {
    extra.key("lm_eval_per_task").begin_object();
    for (const std::string& task : tasks) {
      auto it = settings.find(task);
      if (it != settings.end()) extra.key(task).raw(it->second.raw_json);
    }
    extra.end_object();
  }
  if (!harness_tasks.empty()) {
    extra.key("harness_tasks").begin_object();
    for (const auto& [mapped, name] : harness_tasks) extra.key(mapped).value(name);
    extra.end_object();
  }
  extra.end_object();
  merged.extra_json = extra.take();
  return merged;
}

}  // namespace caploop
