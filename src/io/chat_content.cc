#include "io/chat_content.h"

#include <fmt/format.h>

#include "io/json_fields.h"

namespace caploop {

using simdjson::dom::element;

std::string chat_content_text(element content, std::string_view pointer, const SourceLocation& where,
                              const TextResolver& resolve) {
  auto text_of = [&resolve](std::string_view text) { return resolve ? resolve(text) : std::string(text); };
  if (content.is_string()) return text_of(content.get_string().value_unsafe());
  std::string out;
  bool first = true;
  int64_t i = 0;
  for (element part : as_array(content, pointer, where)) {
    std::string part_pointer = fmt::format("{}/{}", pointer, i++);
    std::optional<element> type = json_find(part, "/type", where);
    if (!type || !type->is_string() || type->get_string().value_unsafe() != "text") continue;
    std::string_view text =
        as_string(json_require(part, "/text", at_field(where, part_pointer)), part_pointer + "/text", where);
    if (!first) out += "\n";
    out += text_of(text);
    first = false;
  }
  return out;
}

}  // namespace caploop
