#include "store/json_text.h"

#include <simdjson.h>

#include "core/error.h"
#include "core/json_writer.h"

namespace caploop::json_text {

std::string encode_string_array(const std::vector<std::string>& values) {
  JsonWriter w;
  w.begin_array();
  for (const auto& v : values) w.value(v);
  w.end_array();
  return w.take();
}

std::vector<std::string> parse_string_array(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  std::vector<std::string> out;
  if (parser.parse(padded).get(doc) != simdjson::SUCCESS || !doc.is_array()) {
    throw Error(ErrorKind::kStore, "workspace column is not a JSON array: " + std::string(json.substr(0, 80)));
  }
  for (auto el : doc.get_array()) {
    std::string_view s;
    if (el.get_string().get(s) != simdjson::SUCCESS) {
      throw Error(ErrorKind::kStore, "workspace column holds a non-string array element");
    }
    out.emplace_back(s);
  }
  return out;
}

}  // namespace caploop::json_text
