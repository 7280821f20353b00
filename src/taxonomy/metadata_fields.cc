#include "taxonomy/metadata_fields.h"

#include <simdjson.h>

namespace caploop {

void MetadataFields::parse(std::string_view json, const SourceLocation& where) {
  fields_.clear();
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  auto error = parser.parse(json.data(), json.size(), true).get(object);
  if (error) {
    SourceLocation at = where;
    at.field = "metadata_json";
    throw Error(ErrorKind::kInput, std::string("item metadata is not a JSON object: ") + simdjson::error_message(error),
                at);
  }
  for (auto field : object) {
    std::string value;
    if (field.value.is_string()) {
      value = std::string(std::string_view(field.value));
    } else {
      value = simdjson::minify(field.value);
    }
    fields_.emplace_back(std::string(field.key), std::move(value));
  }
}

const std::string* MetadataFields::find(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (key == name) return &value;
  }
  return nullptr;
}

}  // namespace caploop
