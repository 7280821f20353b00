// JsonWriter: builds JSON text for `--json` output, reports and stored JSON columns.
//
// Contract: appends to an internal string; the caller is responsible for a well-formed sequence of calls
// (keys only inside objects, balanced begin/end) — misuse is a programming error caught by assertions in
// debug builds. Strings are escaped per RFC 8259; bytes that are not valid UTF-8 are replaced by U+FFFD so the
// output is always valid JSON. Doubles are written in the shortest form that round-trips (fmt), non-finite
// values as null, so the same values always give the same bytes. `pretty` indents with two spaces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caploop {

class JsonWriter {
 public:
  explicit JsonWriter(bool pretty = false) : pretty_(pretty) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(int64_t v);
  JsonWriter& value(int v) { return value(static_cast<int64_t>(v)); }
  JsonWriter& value(uint64_t v);
  JsonWriter& value(double v);
  JsonWriter& value(bool v);
  JsonWriter& value(const std::vector<std::string>& strings);  // a JSON array of strings
  JsonWriter& null();
  JsonWriter& raw(std::string_view json);  // an already-encoded JSON value

  template <typename T>
  JsonWriter& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  template <typename T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  void newline();
  std::string out_;
  bool pretty_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

// Appends `s` to `out` as a JSON string literal (with quotes), escaping as JsonWriter does.
void append_json_string(std::string& out, std::string_view s);

// `s` as a JSON string literal (with quotes), escaped as JsonWriter does.
std::string json_string_literal(std::string_view s);

}  // namespace caploop
