// Typed access to the fields of a parsed JSON record by JSON pointer (RFC 6901; "" is the record itself),
// for importers that must say exactly which field of which line is wrong.
//
// Contract: every function takes the record's location (file and line); a failure throws caploop::Error of
// kind kInput whose location is that file and line with `field` extended by the pointer (see at_field). "Missing" means
// the pointer names a key or index that does not exist; a pointer that tries to step into a string or number is
// reported as a wrong type. Views returned point into the parser's storage and are valid until the parser parses again.
// Stateless and thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace caploop {

// The location `where` with `pointer` appended to its field. A record read from a JSON document carries
// its own pointer in `where.field` ("/outputs/17"), so the result names the field from the document root.
SourceLocation at_field(const SourceLocation& where, std::string_view pointer);

// Throws kUsage unless `pointer` is a syntactically valid JSON pointer ("" or "/a/b", ~0 and ~1 escapes).
void check_json_pointer(std::string_view pointer, std::string_view what);

// "string", "number", "object", ... for messages.
const char* json_type_name(simdjson::dom::element value);

// The value at a dotted path of object keys ("metadata.source"; corpus field names are written this way),
// or nullopt when a step is missing or not an object. Never throws.
std::optional<simdjson::dom::element> json_find_dotted(simdjson::dom::element root, std::string_view dotted);

// The value at `pointer`, or nullopt when it does not exist.
std::optional<simdjson::dom::element> json_find(simdjson::dom::element root, std::string_view pointer,
                                                const SourceLocation& where);
// The value at `pointer`; throws "missing field" when it does not exist.
simdjson::dom::element json_require(simdjson::dom::element root, std::string_view pointer, const SourceLocation& where);

// Required fields of one type; a value of another type throws "expected <type>, found <type>".
std::string_view json_string(simdjson::dom::element root, std::string_view pointer, const SourceLocation& where);
int64_t json_int64(simdjson::dom::element root, std::string_view pointer, const SourceLocation& where);
simdjson::dom::array json_array(simdjson::dom::element root, std::string_view pointer, const SourceLocation& where);
simdjson::dom::object json_object(simdjson::dom::element root, std::string_view pointer, const SourceLocation& where);

// Checks the type of an already-found value, naming `pointer` in the error.
std::string_view as_string(simdjson::dom::element value, std::string_view pointer, const SourceLocation& where);
simdjson::dom::array as_array(simdjson::dom::element value, std::string_view pointer, const SourceLocation& where);
simdjson::dom::object as_object(simdjson::dom::element value, std::string_view pointer, const SourceLocation& where);
double as_number(simdjson::dom::element value, std::string_view pointer, const SourceLocation& where);

// The number a value holds, with the parser's reserved numbers decoded to NaN and +/-infinity (see
// json_parser.h); nullopt when the value is not a number.
std::optional<double> json_double(simdjson::dom::element value);

// True when the value is one of the parser's reserved numbers for NaN, Infinity or -Infinity.
bool json_is_non_finite(simdjson::dom::element value);

// A value as text: a string as is, a number in its shortest round-trip form (42, 0.5), true/false,
// null (and a bare NaN or Infinity) as "", an array or object as minified JSON.
std::string json_text(simdjson::dom::element value);

// A number given either as a JSON number or as a string holding one ("-1.25", as lm-eval writes
// log-likelihoods); throws "expected a number" otherwise.
double json_number_or_numeric_string(simdjson::dom::element value, std::string_view pointer,
                                     const SourceLocation& where);

// Minified JSON text of a value, as stored in metadata_json columns; a bare NaN or Infinity becomes null.
std::string json_minified(simdjson::dom::element value);

}  // namespace caploop
