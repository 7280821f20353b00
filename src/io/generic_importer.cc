#include "io/generic_importer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <memory>
#include <set>

#include "core/json_writer.h"
#include "io/importer_files.h"
#include "io/json_fields.h"
#include "io/json_parser.h"

namespace caploop {

namespace fs = std::filesystem;
using simdjson::dom::element;

namespace {

// A compiled PCRE2 pattern with one capture group, used to take the task from a file name.
class TaskNamePattern {
 public:
  explicit TaskNamePattern(const std::string& pattern) {
    int code = 0;
    PCRE2_SIZE offset = 0;
    code_.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF, &code, &offset,
                              nullptr));
    if (!code_) {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(code, message, sizeof message);
      throw_usage_error(fmt::format("task file regex '{}' does not compile at offset {}: {}", pattern, offset,
                                    reinterpret_cast<const char*>(message)));
    }
    uint32_t groups = 0;
    pcre2_pattern_info(code_.get(), PCRE2_INFO_CAPTURECOUNT, &groups);
    if (groups < 1) throw_usage_error(fmt::format("task file regex '{}' has no capture group", pattern));
  }

  // The first capture group's text in `subject`, or nullopt when the pattern does not match.
  std::optional<std::string> capture(const std::string& subject) const {
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
        pcre2_match_data_create_from_pattern(code_.get(), nullptr), &pcre2_match_data_free);
    int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, match.get(),
                         nullptr);
    if (rc < 2) return std::nullopt;  // no match, or group 1 did not take part
    PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.get());
    if (ovector[2] == PCRE2_UNSET) return std::nullopt;
    return subject.substr(ovector[2], ovector[3] - ovector[2]);
  }

 private:
  struct Free {
    void operator()(pcre2_code* c) const { pcre2_code_free(c); }
  };
  std::unique_ptr<pcre2_code, Free> code_;
};

std::optional<element> find_present(element record, const std::optional<std::string>& pointer,
                                    const SourceLocation& where) {
  if (!pointer) return std::nullopt;
  std::optional<element> value = json_find(record, *pointer, where);
  if (value && value->is_null()) return std::nullopt;
  return value;
}

class GenericRecordReader {
 public:
  GenericRecordReader(const GenericMapping& mapping, IngestSink& sink) : mapping_(mapping), sink_(sink) {}

  void read_file(const fs::path& path, const std::optional<TaskNamePattern>& pattern, JsonParser& parser,
                 Progress* progress) {
    std::string file_task = mapping_.task.value_or(mapping_.benchmark);
    if (pattern) {
      std::string name = path.filename().string();
      std::optional<std::string> captured = pattern->capture(name);
      if (!captured || captured->empty()) {
        throw_input_error(fmt::format("file name does not match the task regex '{}'", *mapping_.task_file_regex),
                          {path.string(), 0, ""});
      }
      file_task = *captured;
    }
    int64_t index = 0;
    read_json_records(path, json_layout_by_name(path), mapping_.records_pointer, parser, progress,
                      [&](element record, const SourceLocation& where) { add(record, where, index++, file_task); });
  }

 private:
  void add(element record, const SourceLocation& where, int64_t index, const std::string& file_task) {
    ItemRecord item;
    item.benchmark = mapping_.benchmark;
    item.task = file_task;
    if (mapping_.task_pointer) item.task = std::string(json_string(record, *mapping_.task_pointer, where));
    item.source_id =
        mapping_.id_pointer ? json_text(json_require(record, *mapping_.id_pointer, where)) : std::to_string(index);
    if (item.source_id.empty()) throw_input_error("empty id", at_field(where, *mapping_.id_pointer));
    if (!seen_.insert(item.task + '\0' + item.source_id).second) {
      throw_input_error(fmt::format("item id '{}' of task '{}' appears twice", item.source_id, item.task),
                        at_field(where, mapping_.id_pointer.value_or("")));
    }
    item.prompt = std::string(json_string(record, mapping_.input_pointer, where));
    item.reference = json_text(json_require(record, mapping_.target_pointer, where));
    item.metadata_json = metadata(record, where);
    item.origin = where;
    sink_.add_item(item, responses(record, where));
  }

  std::string metadata(element record, const SourceLocation& where) {
    JsonWriter out;
    out.begin_object();
    for (const std::string& pointer : mapping_.metadata_pointers) {
      if (auto value = json_find(record, pointer, where)) {
        out.key(std::string_view(pointer).substr(pointer.empty() ? 0 : 1)).raw(json_minified(*value));
      }
    }
    out.end_object();
    return out.take();
  }

  std::vector<ResponseRecord> responses(element record, const SourceLocation& where) {
    std::vector<ResponseRecord> out;
    if (mapping_.response_pointer) {
      out.emplace_back().text = std::string(json_string(record, *mapping_.response_pointer, where));
    } else {
      const std::string& base = *mapping_.responses_pointer;
      int64_t i = 0;
      for (element response : json_array(record, base, where)) {
        SourceLocation at = at_field(where, fmt::format("{}/{}", base, i));
        ResponseRecord& r = out.emplace_back();
        r.sample_index = i++;
        r.text = std::string(json_string(response, mapping_.response_text_pointer, at));
        if (auto reason = find_present(response, mapping_.response_finish_reason_pointer, at)) {
          set_finish_reason(r, *reason, *mapping_.response_finish_reason_pointer, at);
        }
        if (auto tokens = find_present(response, mapping_.response_n_tokens_pointer, at)) {
          set_n_tokens(r, *tokens, *mapping_.response_n_tokens_pointer, at);
        }
      }
      if (out.empty()) throw_input_error("no responses: the array is empty", at_field(where, base));
    }
    if (auto reasons = find_present(record, mapping_.finish_reason_pointer, where)) {
      for_each_response(*reasons, *mapping_.finish_reason_pointer, out, where, &set_finish_reason);
    }
    if (auto tokens = find_present(record, mapping_.n_tokens_pointer, where)) {
      for_each_response(*tokens, *mapping_.n_tokens_pointer, out, where, &set_n_tokens);
    }
    return out;
  }

  static void set_finish_reason(ResponseRecord& r, element value, std::string_view pointer,
                                const SourceLocation& where) {
    r.finish_reason = std::string(as_string(value, pointer, where));
  }

  static void set_n_tokens(ResponseRecord& r, element value, std::string_view pointer, const SourceLocation& where) {
    int64_t n;
    if (value.get_int64().get(n) != simdjson::SUCCESS) {
      throw_input_error(fmt::format("expected an integer, found {}", json_type_name(value)), at_field(where, pointer));
    }
    r.n_tokens = n;
  }

  // Applies a per-response field: an array gives one value per response, a single value applies to all.
  template <typename Set>
  static void for_each_response(element value, const std::string& pointer, std::vector<ResponseRecord>& out,
                                const SourceLocation& where, Set set) {
    if (!value.is_array()) {
      for (ResponseRecord& r : out) set(r, value, pointer, where);
      return;
    }
    simdjson::dom::array values = value.get_array().value_unsafe();
    if (values.size() != out.size()) {
      throw_input_error(fmt::format("{} values for {} responses", values.size(), out.size()), at_field(where, pointer));
    }
    size_t i = 0;
    for (element v : values) {
      set(out[i], v, fmt::format("{}/{}", pointer, i), where);
      ++i;
    }
  }

  const GenericMapping& mapping_;
  IngestSink& sink_;
  std::set<std::string> seen_;  // task '\0' id of every item so far
};

}  // namespace

void validate_generic_mapping(const GenericMapping& m) {
  if (m.benchmark.empty()) throw_usage_error("the generic importer needs a benchmark name");
  if (m.input_pointer.empty() || m.target_pointer.empty()) {
    throw_usage_error("the generic importer needs pointers to the input and the target");
  }
  if (m.response_pointer.has_value() == m.responses_pointer.has_value()) {
    throw_usage_error("give exactly one of a response pointer (one string) and a responses pointer (an array)");
  }
  check_json_pointer(m.records_pointer, "records");
  check_json_pointer(m.input_pointer, "input");
  check_json_pointer(m.target_pointer, "target");
  check_json_pointer(m.response_text_pointer, "response text");
  for (const auto* p :
       {&m.id_pointer, &m.response_pointer, &m.responses_pointer, &m.finish_reason_pointer, &m.n_tokens_pointer,
        &m.response_finish_reason_pointer, &m.response_n_tokens_pointer, &m.task_pointer}) {
    if (p->has_value()) check_json_pointer(**p, "mapping");
  }
  for (const std::string& p : m.metadata_pointers) {
    check_json_pointer(p, "metadata");
    if (p.empty()) throw_usage_error("a metadata pointer must name a field, not the whole record");
  }
  if ((m.response_finish_reason_pointer || m.response_n_tokens_pointer) && !m.responses_pointer) {
    throw_usage_error("per-response finish reason and token pointers need a responses pointer");
  }
  if (m.task_file_regex) TaskNamePattern check(*m.task_file_regex);
}

void import_generic(const std::vector<fs::path>& paths, const GenericMapping& mapping, RunInfo run, IngestSink& sink,
                    Progress* progress) {
  validate_generic_mapping(mapping);
  if (paths.empty()) throw_usage_error("no input files given");
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      throw_usage_error(
          fmt::format("{} is a folder; the generic importer reads files (pass them one by one)", path.string()));
    }
    if (!fs::exists(path, ec)) throw Error(ErrorKind::kNotFound, "file not found", {path.string(), 0, ""});
  }
  std::optional<TaskNamePattern> pattern;
  if (mapping.task_file_regex) pattern.emplace(*mapping.task_file_regex);
  run.harness = "generic";
  sink.begin_run(run);
  JsonParser parser;
  GenericRecordReader reader(mapping, sink);
  for (const fs::path& path : paths) reader.read_file(path, pattern, parser, progress);
}

}  // namespace caploop
