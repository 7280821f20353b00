// MetadataFields: the top-level fields of an item's metadata JSON object, as text, for rule matching.
//
// A string field keeps its decoded value; any other field (number, boolean, null, array, object) is kept as
// its minified JSON text, so `"level": 5` reads as "5". parse() throws caploop::Error kInput (with `where`
// and field "metadata_json") when the text is not a JSON object. Not thread-safe per instance; parse()
// uses a per-thread simdjson parser, so separate instances may be filled on separate threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace caploop {

class MetadataFields {
 public:
  void parse(std::string_view json, const SourceLocation& where);
  // The field's text, or nullptr when absent.
  const std::string* find(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace caploop
