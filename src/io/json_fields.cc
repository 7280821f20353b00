#include "io/json_fields.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "io/json_parser.h"

namespace caploop {

using simdjson::dom::element;
using simdjson::dom::element_type;

SourceLocation at_field(const SourceLocation& where, std::string_view pointer) {
  SourceLocation at = where;
  at.field += pointer;  // where.field is the record's own pointer within its document, if any
  return at;
}

void check_json_pointer(std::string_view pointer, std::string_view what) {
  if (pointer.empty()) return;
  if (pointer.front() != '/') {
    throw_usage_error(fmt::format("{}: JSON pointer '{}' must be empty or start with '/'", what, pointer));
  }
  for (size_t i = 0; i < pointer.size(); ++i) {
    if (pointer[i] != '~') continue;
    if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
      throw_usage_error(fmt::format("{}: JSON pointer '{}' has a '~' not followed by 0 or 1", what, pointer));
    }
  }
}

const char* json_type_name(element value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "number";
    case element_type::STRING:
      return "string";
    case element_type::BOOL:
      return "boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "value";
}

std::optional<element> json_find_dotted(element e, std::string_view dotted) {
  size_t start = 0;
  for (;;) {
    const size_t dot = dotted.find('.', start);
    const std::string_view part =
        dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    simdjson::dom::object obj;
    if (e.get(obj)) return std::nullopt;
    if (obj.at_key(part).get(e)) return std::nullopt;
    if (dot == std::string_view::npos) return e;
    start = dot + 1;
  }
}

std::optional<element> json_find(element root, std::string_view pointer, const SourceLocation& where) {
  element found;
  simdjson::error_code code = root.at_pointer(pointer).get(found);
  if (code == simdjson::SUCCESS) return found;
  if (code == simdjson::NO_SUCH_FIELD || code == simdjson::INDEX_OUT_OF_BOUNDS) return std::nullopt;
  // simdjson reports stepping into a scalar, or a non-numeric index into an array, as an invalid pointer.
  throw_input_error(
      fmt::format("cannot follow the pointer: a value on its path is not an object or array with that key "
                  "or index ({})",
                  simdjson::error_message(code)),
      at_field(where, pointer));
}

element json_require(element root, std::string_view pointer, const SourceLocation& where) {
  std::optional<element> found = json_find(root, pointer, where);
  if (!found) throw_input_error("missing field", at_field(where, pointer));
  return *found;
}

namespace {

[[noreturn]] void wrong_type(const char* expected, element value, std::string_view pointer,
                             const SourceLocation& where) {
  throw_input_error(fmt::format("expected {}, found {}", expected, json_type_name(value)), at_field(where, pointer));
}

}  // namespace

std::string_view as_string(element value, std::string_view pointer, const SourceLocation& where) {
  std::string_view s;
  if (value.get_string().get(s) != simdjson::SUCCESS) wrong_type("a string", value, pointer, where);
  return s;
}

simdjson::dom::array as_array(element value, std::string_view pointer, const SourceLocation& where) {
  simdjson::dom::array a;
  if (value.get_array().get(a) != simdjson::SUCCESS) wrong_type("an array", value, pointer, where);
  return a;
}

simdjson::dom::object as_object(element value, std::string_view pointer, const SourceLocation& where) {
  simdjson::dom::object o;
  if (value.get_object().get(o) != simdjson::SUCCESS) wrong_type("an object", value, pointer, where);
  return o;
}

namespace {

// NaN or +/-infinity for a reserved number, else the number itself.
double decoded(double d) {
  if (d == kJsonNaNMarker) return std::numeric_limits<double>::quiet_NaN();
  if (d == kJsonInfinityMarker) return std::numeric_limits<double>::infinity();
  if (d == kJsonMinusInfinityMarker) return -std::numeric_limits<double>::infinity();
  return d;
}

bool is_marker(double d) { return d == kJsonNaNMarker || d == kJsonInfinityMarker || d == kJsonMinusInfinityMarker; }

// `minified` with every number token outside strings that is a reserved number replaced by null.
std::string without_markers(std::string minified) {
  if (minified.find("e-32") == std::string::npos) return minified;  // every marker prints with this exponent
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < minified.size(); ++i) {
    char c = minified[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < minified.size()) {
        out += minified[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t end = minified.find_first_of(",]}", i);
      if (end == std::string::npos) end = minified.size();
      double d = 0;
      auto [stop, ec] = std::from_chars(minified.data() + i, minified.data() + end, d);
      if (ec == std::errc() && stop == minified.data() + end && is_marker(d)) {
        out += "null";
      } else {
        out.append(minified, i, end - i);
      }
      i = end - 1;
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::optional<double> json_double(element value) {
  double d;
  if (value.get_double().get(d) != simdjson::SUCCESS) return std::nullopt;
  return decoded(d);
}

bool json_is_non_finite(element value) {
  double d;
  return value.type() == element_type::DOUBLE && value.get_double().get(d) == simdjson::SUCCESS && is_marker(d);
}

double as_number(element value, std::string_view pointer, const SourceLocation& where) {
  std::optional<double> d = json_double(value);
  if (!d) wrong_type("a number", value, pointer, where);
  return *d;
}

std::string_view json_string(element root, std::string_view pointer, const SourceLocation& where) {
  return as_string(json_require(root, pointer, where), pointer, where);
}

int64_t json_int64(element root, std::string_view pointer, const SourceLocation& where) {
  element value = json_require(root, pointer, where);
  int64_t n;
  if (value.get_int64().get(n) != simdjson::SUCCESS) wrong_type("an integer", value, pointer, where);
  return n;
}

simdjson::dom::array json_array(element root, std::string_view pointer, const SourceLocation& where) {
  return as_array(json_require(root, pointer, where), pointer, where);
}

simdjson::dom::object json_object(element root, std::string_view pointer, const SourceLocation& where) {
  return as_object(json_require(root, pointer, where), pointer, where);
}

std::string json_minified(element value) {
  // One builder per thread, reused: its buffer grows once instead of for every value.
  thread_local simdjson::internal::string_builder<> builder;
  builder.clear();
  builder.append(value);
  return without_markers(std::string(builder.str()));
}

std::string json_text(element value) {
  switch (value.type()) {
    case element_type::STRING:
      return std::string(value.get_string().value_unsafe());
    case element_type::INT64:
      return std::to_string(value.get_int64().value_unsafe());
    case element_type::UINT64:
      return std::to_string(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: {
      double d = value.get_double().value_unsafe();
      return is_marker(d) ? std::string() : fmt::format("{}", d);
    }
    case element_type::BOOL:
      return value.get_bool().value_unsafe() ? "true" : "false";
    case element_type::NULL_VALUE:
      return "";
    case element_type::ARRAY:
    case element_type::OBJECT:
      return json_minified(value);
  }
  return "";
}

double json_number_or_numeric_string(element value, std::string_view pointer, const SourceLocation& where) {
  if (std::optional<double> number = json_double(value)) return *number;
  double d;
  std::string_view s;
  if (value.get_string().get(s) == simdjson::SUCCESS) {
    // std::from_chars does not accept a leading '+', which Python never writes.
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && end == s.data() + s.size()) return d;
    throw_input_error(fmt::format("expected a number, found the string \"{}\"", s), at_field(where, pointer));
  }
  wrong_type("a number", value, pointer, where);
}

}  // namespace caploop
