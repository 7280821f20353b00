#include "io/lm_eval_importer_samples.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <unordered_map>

#include "core/loglikelihood_choices.h"
#include "io/importer_files.h"
#include "io/json_fields.h"

namespace caploop {

namespace fs = std::filesystem;
using simdjson::dom::element;

namespace {

// One request lm-eval sent for a document: its context and second argument, whose type tells the request
// kind (an object of gen_kwargs for generate_until, a continuation string for loglikelihood, absent for
// loglikelihood_rolling).
struct Request {
  std::string context;
  std::optional<element> second;
  // Where `second` is, for messages: "/arguments" + `at` + "/1" or "/arg_1" (built only when asked for).
  std::string at;  // "/<position>" or the "/gen_args_<n>" key's pointer token
  bool keyed = false;
  std::string second_pointer() const { return "/arguments" + at + (keyed ? "/arg_1" : "/1"); }
};

enum class RequestKind { kGenerate, kChoice, kRolling };

RequestKind kind_of(const std::vector<Request>& requests) {
  const Request& first = requests.front();
  if (!first.second) return RequestKind::kRolling;
  return first.second->is_object() ? RequestKind::kGenerate : RequestKind::kChoice;
}

// A context is a string, or (chat models through an API) a list of messages {"role", "content"}, written as
// "<role>: <content>" blocks separated by a blank line; a message whose content is a list of parts keeps its
// "text" parts.
std::string context_text(element context, const std::string& pointer, const SourceLocation& where) {
  if (!context.is_array()) return std::string(as_string(context, pointer, where));
  std::string out;
  int64_t i = 0;
  for (element message : as_array(context, pointer, where)) {
    std::string at = fmt::format("{}/{}", pointer, i++);
    as_object(message, at, where);
    std::string role;
    if (auto r = json_find(message, "/role", at_field(where, at)))
      role = std::string(as_string(*r, at + "/role", where));
    element content = json_require(message, "/content", at_field(where, at));
    std::string text;
    if (content.is_array()) {
      int64_t j = 0;
      for (element part : as_array(content, at + "/content", where)) {
        std::string part_at = fmt::format("{}/content/{}", at, j++);
        if (auto t = json_find(part, "/text", at_field(where, part_at)))
          text += as_string(*t, part_at + "/text", where);
      }
    } else {
      text = std::string(as_string(content, at + "/content", where));
    }
    if (!out.empty()) out += "\n\n";
    out += role.empty() ? text : role + ": " + text;
  }
  return out;
}

std::vector<Request> read_arguments(element record, const SourceLocation& where) {
  element arguments = json_require(record, "/arguments", where);
  std::vector<Request> requests;
  if (arguments.is_array()) {
    int64_t i = 0;
    for (element request : as_array(arguments, "/arguments", where)) {
      std::string base = fmt::format("/arguments/{}", i++);
      simdjson::dom::array parts = as_array(request, base, where);
      if (parts.size() == 0) throw_input_error("empty request", at_field(where, base));
      Request r;
      r.context = context_text(parts.at(0).value_unsafe(), base + "/0", where);
      if (parts.size() > 1) {
        r.second = parts.at(1).value_unsafe();
        r.at = base.substr(std::string_view("/arguments").size());
      }
      requests.push_back(std::move(r));
    }
  } else {
    // {"gen_args_0": {"arg_0": context, "arg_1": x}, "gen_args_1": ...}; placed by the number in the key.
    std::vector<std::pair<int64_t, Request>> numbered;
    for (auto [key, request] : as_object(arguments, "/arguments", where)) {
      // The pointers below name fields in messages only: built when one is needed.
      auto base = [&, key = key] { return "/arguments" + json_pointer_token(key); };
      constexpr std::string_view kPrefix = "gen_args_";
      int64_t index = -1;
      if (key.starts_with(kPrefix) && key.size() > kPrefix.size() &&
          std::all_of(key.begin() + kPrefix.size(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        auto [end, ec] = std::from_chars(key.data() + kPrefix.size(), key.data() + key.size(), index);
        if (ec != std::errc() || end != key.data() + key.size()) {
          throw_input_error("the number in gen_args_<n> is too large", at_field(where, base()));
        }
      } else {
        throw_input_error("expected a key of the form gen_args_<n>", at_field(where, base()));
      }
      Request r;
      element context, second;
      simdjson::dom::object fields;
      if (request.get_object().get(fields) == simdjson::SUCCESS &&
          fields.at_key("arg_0").get(context) == simdjson::SUCCESS && context.is_string()) {
        r.context = std::string(context.get_string().value_unsafe());  // the common case, without the pointers
        if (fields.at_key("arg_1").get(second) == simdjson::SUCCESS) r.second = second;
      } else {
        r.context = context_text(json_require(request, "/arg_0", at_field(where, base())), base() + "/arg_0", where);
        if (auto found = json_find(request, "/arg_1", at_field(where, base()))) r.second = *found;
      }
      if (r.second) {
        r.at = json_pointer_token(key);
        r.keyed = true;
      }
      numbered.emplace_back(index, std::move(r));
    }
    std::sort(numbered.begin(), numbered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [index, r] : numbered) requests.push_back(std::move(r));
  }
  if (requests.empty()) throw_input_error("no requests", at_field(where, "/arguments"));
  return requests;
}

// The log-likelihood of one loglikelihood response: [ll, is_greedy], possibly wrapped in one more list
// (resps keeps each request's single result in a list; filtered_resps does not).
double loglikelihood_of(element response, const std::string& pointer, const SourceLocation& where) {
  simdjson::dom::array pair = as_array(response, pointer, where);
  if (pair.size() == 0) throw_input_error("empty log-likelihood result", at_field(where, pointer));
  element first = pair.at(0).value_unsafe();
  if (first.is_array()) return loglikelihood_of(first, pointer + "/0", where);
  return json_number_or_numeric_string(first, pointer + "/0", where);
}

// For loglikelihood requests (one per choice) the chosen answer is the continuation of the request with
// the highest log-likelihood; ties go to the earlier choice.
std::string choose_continuation(simdjson::dom::array results, std::string_view pointer,
                                const std::vector<Request>& requests, const SourceLocation& where) {
  if (results.size() != requests.size()) {
    throw_input_error(fmt::format("{} results for {} requests", results.size(), requests.size()),
                      at_field(where, pointer));
  }
  size_t best = 0;
  double best_ll = 0;
  size_t i = 0;
  for (element result : results) {
    double ll = loglikelihood_of(result, fmt::format("{}/{}", pointer, i), where);
    if (i == 0 || ll > best_ll) {
      best = i;
      best_ll = ll;
    }
    ++i;
  }
  const Request& chosen = requests[best];
  if (!chosen.second) throw_input_error("missing continuation", at_field(where, fmt::format("/arguments/{}", best)));
  return std::string(as_string(*chosen.second, chosen.second_pointer(), where));
}

// Every choice with its log-likelihood, the choice without the task's target delimiter (lm-eval sends
// delimiter + choice as the continuation but normalises acc_norm by the choice's own length).
std::string encode_choices(simdjson::dom::array results, std::string_view pointer, const std::vector<Request>& requests,
                           std::string_view delimiter, const SourceLocation& where) {
  std::vector<LoglikelihoodChoice> choices;
  size_t i = 0;
  for (element result : results) {
    if (i >= requests.size()) break;
    const Request& r = requests[i];
    if (!r.second) throw_input_error("missing continuation", at_field(where, fmt::format("/arguments/{}", i)));
    std::string_view continuation = as_string(*r.second, r.second_pointer(), where);
    if (!delimiter.empty() && continuation.starts_with(delimiter)) continuation.remove_prefix(delimiter.size());
    choices.push_back({std::string(continuation), loglikelihood_of(result, fmt::format("{}/{}", pointer, i), where)});
    ++i;
  }
  return encode_loglikelihood_choices(choices);
}

// The first scalar inside nested lists, as text (loglikelihood_rolling results).
std::string first_scalar_text(element value, std::string pointer, const SourceLocation& where) {
  while (value.is_array()) {
    simdjson::dom::array a = value.get_array().value_unsafe();
    if (a.size() == 0) throw_input_error("empty result", at_field(where, pointer));
    value = a.at(0).value_unsafe();
    pointer += "/0";
  }
  return json_text(value);
}

std::vector<ResponseRecord> read_responses(element record, const std::vector<Request>& requests,
                                           const SourceLocation& where) {
  simdjson::dom::array resps = json_array(record, "/resps", where);
  std::vector<ResponseRecord> out;
  auto add = [&out](std::string text) {
    ResponseRecord r;
    r.sample_index = static_cast<int64_t>(out.size());
    r.text = std::move(text);
    out.push_back(std::move(r));
  };
  switch (kind_of(requests)) {
    case RequestKind::kGenerate: {
      // [[gen_1, ..., gen_repeats]] per request; a bare string stands for one generation.
      int64_t i = 0;
      for (element per_request : resps) {
        std::string pointer = fmt::format("/resps/{}", i++);
        if (per_request.is_string()) {
          add(std::string(as_string(per_request, pointer, where)));
          continue;
        }
        int64_t j = 0;
        for (element generation : as_array(per_request, pointer, where)) {
          add(std::string(as_string(generation, fmt::format("{}/{}", pointer, j++), where)));
        }
      }
      break;
    }
    case RequestKind::kChoice:
      add(choose_continuation(resps, "/resps", requests, where));
      break;
    case RequestKind::kRolling:
      if (resps.size() == 0) throw_input_error("no responses", at_field(where, "/resps"));
      add(first_scalar_text(resps.at(0).value_unsafe(), "/resps/0", where));
      break;
  }
  if (out.empty()) throw_input_error("no responses", at_field(where, "/resps"));
  return out;
}

// Adds this record's filter value(s) to the responses: one value per sample when the filter kept one per
// repeat, else one value for the document, attached to sample 0 (e.g. take_first, majority vote).
void add_filtered(element record, std::string_view filter, const std::vector<Request>& requests,
                  std::vector<ResponseRecord>& responses, const SourceLocation& where) {
  element filtered = json_require(record, "/filtered_resps", where);
  auto attach_one = [&](std::string value) { responses[0].filtered.emplace_back(filter, std::move(value)); };
  auto attach_each = [&](simdjson::dom::array values, std::string_view pointer) {
    size_t i = 0;
    for (element v : values) {
      if (!v.is_string() && !v.is_number() && !v.is_bool() && !v.is_null()) {
        throw_input_error(fmt::format("expected a string, found {}", json_type_name(v)),
                          at_field(where, fmt::format("{}/{}", pointer, i)));
      }
      responses[i++].filtered.emplace_back(filter, json_text(v));
    }
  };
  RequestKind kind = kind_of(requests);
  if (kind == RequestKind::kChoice) {
    attach_one(choose_continuation(as_array(filtered, "/filtered_resps", where), "/filtered_resps", requests, where));
    return;
  }
  if (kind == RequestKind::kRolling || !filtered.is_array()) {
    attach_one(first_scalar_text(filtered, "/filtered_resps", where));
    return;
  }
  simdjson::dom::array per_request = as_array(filtered, "/filtered_resps", where);
  size_t n = responses.size();
  if (per_request.size() == 0) throw_input_error("no filtered responses", at_field(where, "/filtered_resps"));
  element first = per_request.at(0).value_unsafe();
  if (per_request.size() == 1 && first.is_array()) {
    simdjson::dom::array values = first.get_array().value_unsafe();
    if (values.size() == n) {
      attach_each(values, "/filtered_resps/0");
    } else if (values.size() == 1) {
      attach_one(json_text(values.at(0).value_unsafe()));
    } else {
      throw_input_error(fmt::format("{} filtered values for {} responses", values.size(), n),
                        at_field(where, "/filtered_resps/0"));
    }
  } else if (per_request.size() == 1) {
    attach_one(json_text(first));
  } else if (per_request.size() == n) {
    attach_each(per_request, "/filtered_resps");
  } else {
    throw_input_error(fmt::format("{} filtered values for {} responses", per_request.size(), n),
                      at_field(where, "/filtered_resps"));
  }
}

// The document's own question when its fields name one.
std::string question_of(element doc) {
  for (std::string_view key : {"question", "problem", "input"}) {
    element value;
    if (doc.at_key(key).get(value) == simdjson::SUCCESS && value.is_string()) {
      return std::string(value.get_string().value_unsafe());
    }
  }
  return "";
}

// The per-record metrics lm-eval logged (the names in "metrics", each a top-level key), named
// "<metric>,<filter>"; attached to the first response (lm-eval scores a document, not a repeat). Values that are
// not numbers (a tuple kept for a corpus-level metric such as bleu) are skipped; null stands for NaN.
void add_harness_metrics(element record, std::string_view filter, std::vector<ResponseRecord>& responses,
                         const SourceLocation& where) {
  auto names = json_find(record, "/metrics", where);
  if (!names || !names->is_array()) return;
  simdjson::dom::array list = names->get_array().value_unsafe();
  for (element name : list) {
    if (!name.is_string()) continue;
    std::string_view metric = name.get_string().value_unsafe();
    element value;
    if (record.at_key(metric).get(value) != simdjson::SUCCESS) continue;
    double number;
    bool b;
    if (value.get_double().get(number) == simdjson::SUCCESS) {
    } else if (value.get_bool().get(b) == simdjson::SUCCESS) {
      number = b ? 1 : 0;
    } else if (value.is_null()) {
      number = std::numeric_limits<double>::quiet_NaN();
    } else {
      continue;
    }
    responses[0].harness_metrics.emplace_back(fmt::format("{},{}", metric, filter), number);
  }
}

class SamplesCollector {
 public:
  SamplesCollector(const BenchmarkTask& task, std::string_view target_delimiter)
      : task_(task), target_delimiter_(target_delimiter) {}

  void add(element record, const SourceLocation& where) {
    as_object(record, "", where);
    int64_t doc_id = json_int64(record, "/doc_id", where);
    std::string filter = "none";
    if (auto f = json_find(record, "/filter", where)) filter = std::string(as_string(*f, "/filter", where));
    std::vector<Request> requests = read_arguments(record, where);

    auto [it, inserted] = index_.try_emplace(doc_id, items_.size());
    if (inserted) {
      items_.push_back(make_item(record, doc_id, requests, where));
      filters_.emplace_back();
    }
    LmEvalItem& item = items_[it->second];
    std::vector<std::string>& seen = filters_[it->second];
    if (std::find(seen.begin(), seen.end(), filter) != seen.end()) {
      throw_input_error(fmt::format("a second record for doc_id {} and filter '{}'", doc_id, filter),
                        at_field(where, "/filter"));
    }
    seen.push_back(filter);
    add_filtered(record, filter, requests, item.responses, where);
    add_harness_metrics(record, filter, item.responses, where);
  }

  std::vector<LmEvalItem> take() { return std::move(items_); }

 private:
  LmEvalItem make_item(element record, int64_t doc_id, std::vector<Request>& requests, const SourceLocation& where) {
    LmEvalItem out;
    ItemRecord& item = out.item;
    item.benchmark = task_.benchmark;
    item.task = task_.task;
    item.source_id = std::to_string(doc_id);
    item.prompt = std::move(requests.front().context);  // the contexts are read only for the prompt
    item.reference = json_text(json_require(record, "/target", where));
    if (auto doc = json_find(record, "/doc", where)) {
      as_object(*doc, "/doc", where);
      item.metadata_json = json_minified(*doc);
      item.question = question_of(*doc);
    }
    if (auto hash = json_find(record, "/doc_hash", where)) {
      item.content_hash = std::string(as_string(*hash, "/doc_hash", where));
    }
    item.origin = where;
    out.responses = read_responses(record, requests, where);
    if (kind_of(requests) == RequestKind::kChoice) {
      out.responses[0].filtered.emplace_back(
          std::string(kLoglikelihoodsFilter),
          encode_choices(json_array(record, "/resps", where), "/resps", requests, target_delimiter_, where));
    }
    return out;
  }

  BenchmarkTask task_;
  std::string target_delimiter_;
  std::vector<LmEvalItem> items_;
  std::vector<std::vector<std::string>> filters_;  // filters seen per item
  std::unordered_map<int64_t, size_t> index_;      // doc_id -> position in items_
};

bool is_date_suffix(std::string_view s) {
  // datetime.isoformat() with ':' replaced by '-': 2024-05-10T12-34-56.123456
  if (s.size() < 11) return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return s[4] == '-' && s[7] == '-' && s[10] == 'T';
}

}  // namespace

LmEvalFileName parse_lm_eval_file_name(const fs::path& path) {
  std::string name = name_without_compression(path);
  for (std::string_view ext : {".jsonl", ".json"}) {
    if (name.ends_with(ext)) {
      name.resize(name.size() - ext.size());
      break;
    }
  }
  if (name.starts_with("samples_")) name = name.substr(8);
  LmEvalFileName out;
  size_t underscore = name.rfind('_');
  if (underscore != std::string::npos && is_date_suffix(std::string_view(name).substr(underscore + 1))) {
    out.date = name.substr(underscore + 1);
    name.resize(underscore);
  }
  out.task = name;
  return out;
}

std::vector<LmEvalItem> read_lm_eval_samples(const fs::path& path, const BenchmarkTask& task, JsonParser& parser,
                                             Progress* progress, std::string_view target_delimiter) {
  // lm-eval 0.4.0 wrote `.jsonl` files holding one indented JSON array, later versions JSON Lines; the first
  // character tells them apart whatever the extension says.
  JsonLayout layout = file_starts_with_array(path) ? JsonLayout::kDocument : JsonLayout::kLines;
  SamplesCollector collector(task, target_delimiter);
  read_json_records(path, layout, "", parser, progress,
                    [&collector](element record, const SourceLocation& where) { collector.add(record, where); });
  return collector.take();
}

}  // namespace caploop
