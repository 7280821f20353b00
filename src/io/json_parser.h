// JsonParser: parses one JSON text — a JSONL line or a whole .json file — into a simdjson DOM, reusing its
// buffers from one text to the next so that streaming a JSONL file allocates only when a line is longer
// than any before it.
//
// Contract: parse() returns the root element, valid until the next parse() on the same parser. Any failure
// throws caploop::Error of kind kInput located at the given file and line: an empty text, malformed JSON,
// invalid UTF-8, or a text that ends inside a value (a truncated file). For a whole file (line 0 in the
// location) the reported line is computed from the text where it can be: the line holding the first invalid
// UTF-8 byte (found with simdjson::validate_utf8 line by line), or the last line when the text ends inside
// an open string, array or object; other syntax errors keep line 0. Not thread-safe: one parser per thread.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace caploop {

class JsonParser {
 public:
  JsonParser() = default;
  JsonParser(const JsonParser&) = delete;
  JsonParser& operator=(const JsonParser&) = delete;

  // Parses `text`; `where` names its file and line (0 = the whole file).
  simdjson::dom::element parse(std::string_view text, const SourceLocation& where);

 private:
  void check_unique_keys(simdjson::dom::element root, const SourceLocation& where);

  simdjson::dom::parser parser_;
  std::string padded_;                  // copy of the text followed by simdjson's required padding
  std::string rewritten_;               // the text with its non-finite numbers replaced, when it has any
  std::vector<std::string_view> keys_;  // scratch for the duplicate-key check
};

// The reserved numbers standing for NaN, Infinity and -Infinity in a parsed document (see above).
inline constexpr double kJsonNaNMarker = 4.9406564584124654e-324;            // 1 * the smallest subnormal
inline constexpr double kJsonInfinityMarker = 9.8813129168249309e-324;       // 2 * the smallest subnormal
inline constexpr double kJsonMinusInfinityMarker = 1.4821969375237396e-323;  // 3 * the smallest subnormal

// Rewrites the bare NaN, Infinity and -Infinity tokens outside strings of `text` into `out` as the reserved
// numbers; returns false (and leaves `out` unspecified) when `text` has none.
bool rewrite_non_finite_numbers(std::string_view text, std::string& out);

// 1-based line of the first line of `text` that is not valid UTF-8, or 0 when all of it is valid.
int64_t first_invalid_utf8_line(std::string_view text);

// True when `text` ends inside a string, array or object (a file cut in the middle of a record).
bool json_text_is_truncated(std::string_view text);

}  // namespace caploop
