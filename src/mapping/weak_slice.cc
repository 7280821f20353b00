#include "mapping/weak_slice.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/fnv1a.h"
#include "io/json_fields.h"
#include "io/json_parser.h"
#include "io/line_reader.h"

namespace caploop {

namespace {

using simdjson::dom::element;

std::string pointer_of(std::string_view array, size_t index, std::string_view field) {
  return fmt::format("/{}/{}/{}", array, index, field);
}

std::vector<std::string> strings_at(element record, const std::string& pointer, const SourceLocation& where) {
  std::vector<std::string> out;
  size_t index = 0;
  for (element value : json_array(record, pointer, where)) {
    out.emplace_back(as_string(value, pointer + "/" + std::to_string(index), where));
    ++index;
  }
  return out;
}

double number_at(element root, const std::string& pointer, const SourceLocation& where) {
  return as_number(json_require(root, pointer, where), pointer, where);
}

// A p or q value: JsonWriter writes a non-finite value as null; read that as 1 (nothing shown).
double probability_at(element root, const std::string& pointer, const SourceLocation& where) {
  element value = json_require(root, pointer, where);
  if (value.is_null()) return 1.0;
  return as_number(value, pointer, where);
}

bool bool_at(element root, const std::string& pointer, const SourceLocation& where) {
  element value = json_require(root, pointer, where);
  if (!value.is_bool()) {
    throw_input_error(fmt::format("expected true or false, found {}", json_type_name(value)), at_field(where, pointer));
  }
  return value.get_bool().value();
}

double clamp_unit(double x) { return std::isfinite(x) ? std::clamp(x, 0.0, 1.0) : 0.0; }

std::string optional_string(element root, std::string_view pointer, const SourceLocation& where) {
  std::optional<element> value = json_find(root, pointer, where);
  if (!value || value->is_null()) return "";
  return std::string(as_string(*value, pointer, where));
}

// Fields shared by both kinds of slice: tags, n, q_value, items.
WeakSlice read_common(element root, std::string_view array, size_t index, const SourceLocation& where) {
  WeakSlice slice;
  slice.tags = strings_at(root, pointer_of(array, index, "tags"), where);
  if (slice.tags.empty()) throw_input_error("a slice has no tags", at_field(where, pointer_of(array, index, "tags")));
  slice.n = json_int64(root, pointer_of(array, index, "n"), where);
  if (slice.n < 0)
    throw_input_error("a slice has a negative item count", at_field(where, pointer_of(array, index, "n")));
  slice.q_value = probability_at(root, pointer_of(array, index, "q_value"), where);
  slice.items = strings_at(root, pointer_of(array, index, "items"), where);
  const std::string equivalent = pointer_of(array, index, "equivalent");
  if (json_find(root, equivalent, where)) {  // written by every diagnosis and weakness list; optional by hand
    const size_t sets = json_array(root, equivalent, where).size();
    for (size_t e = 0; e < sets; ++e) {
      slice.equivalent.push_back(strings_at(root, equivalent + "/" + std::to_string(e), where));
    }
  }
  const std::string operations = pointer_of(array, index, "operations");
  if (json_find(root, operations, where)) {
    slice.split = bool_at(root, operations + "/split", where);
    const size_t parts = json_array(root, operations + "/parts", where).size();
    for (size_t k = 0; k < parts; ++k) {
      const std::string part = operations + "/parts/" + std::to_string(k);
      WeakSlicePart p;
      p.tags = strings_at(root, part + "/tags", where);
      p.n = json_int64(root, part + "/n", where);
      p.deficit = number_at(root, part + "/deficit", where);
      p.q_value = probability_at(root, part + "/q_value", where);
      p.deficit_share = clamp_unit(number_at(root, part + "/deficit_share", where));
      slice.operations.push_back(std::move(p));
    }
  }
  return slice;
}

void read_diagnosis(element root, const SourceLocation& where, WeakSliceList& out) {
  out.source.kind = "diagnosis";
  const std::string_view verdict = json_string(root, "/verdict", where);
  out.source.verdict = parse_verdict(verdict);
  if (!out.source.verdict) {
    throw_input_error(fmt::format("unknown verdict '{}' (expected data_ruled_out, data_ruled_in, improved, "
                                  "no_significant_change or inconclusive)",
                                  verdict),
                      at_field(where, "/verdict"));
  }
  const std::string cause = optional_string(root, "/cause", where);
  if (!cause.empty()) {
    out.source.cause = parse_cause(cause);
    if (!out.source.cause) {
      throw_input_error(
          fmt::format("unknown cause '{}' (expected termination, format, scoring, eval_config or null)", cause),
          at_field(where, "/cause"));
    }
  }
  out.source.baseline = optional_string(root, "/baseline", where);
  out.source.candidate = optional_string(root, "/candidate", where);
  simdjson::dom::array slices = json_array(root, "/slices", where);
  if (out.source.verdict != Verdict::kDataRuledIn) return;
  for (size_t i = 0; i < slices.size(); ++i) {
    WeakSlice slice = read_common(root, "slices", i, where);
    double delta = number_at(root, pointer_of("slices", i, "delta"), where);
    if (!(delta < 0)) continue;  // only regressions are weaknesses
    slice.severity = clamp_unit(-delta);
    slice.baseline_accuracy = clamp_unit(number_at(root, pointer_of("slices", i, "cand_accuracy"), where));
    out.slices.push_back(std::move(slice));
  }
}

void read_weakness_list(element root, const SourceLocation& where, WeakSliceList& out) {
  out.source.kind = "weaknesses";
  simdjson::dom::array weaknesses = json_array(root, "/weaknesses", where);
  for (size_t i = 0; i < weaknesses.size(); ++i) {
    WeakSlice slice = read_common(root, "weaknesses", i, where);
    slice.severity = clamp_unit(number_at(root, pointer_of("weaknesses", i, "deficit"), where));
    slice.baseline_accuracy = clamp_unit(number_at(root, pointer_of("weaknesses", i, "accuracy"), where));
    out.slices.push_back(std::move(slice));
  }
}

}  // namespace

WeakSliceList parse_weak_slices(const std::string& json_text, const std::string& file_name) {
  SourceLocation where{file_name, 0, ""};
  JsonParser parser;
  element root = parser.parse(json_text, where);
  if (!root.is_object()) {
    throw_input_error(
        fmt::format("expected a JSON object (a diagnosis or a weakness list), found {}", json_type_name(root)), where);
  }
  const bool has_verdict = json_find(root, "/verdict", where).has_value();
  const bool has_weaknesses = json_find(root, "/weaknesses", where).has_value();
  if (has_verdict == has_weaknesses) {
    throw_input_error(has_verdict ? "the file has both 'verdict' and 'weaknesses': cannot tell what it is"
                                  : "neither a diagnosis ('verdict', from caploop diagnose --json) nor a weakness "
                                    "list ('weaknesses', from caploop weaknesses --json)",
                      where);
  }
  WeakSliceList out;
  out.source.file = file_name;
  out.source.checksum = fmt::format("{:016x}", fnv1a64(json_text));
  if (has_verdict) {
    read_diagnosis(root, where, out);
  } else {
    read_weakness_list(root, where, out);
  }
  for (size_t i = 0; i < out.slices.size(); ++i) out.slices[i].id = "S" + std::to_string(i + 1);
  return out;
}

WeakSliceList read_weak_slices(const std::string& path) { return parse_weak_slices(read_whole_file(path), path); }

}  // namespace caploop
