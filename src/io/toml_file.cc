#include "io/toml_file.h"

#include <fstream>
#include <sstream>

namespace caploop {

toml::table parse_toml_or_throw(std::string_view text, const std::string& file_name, std::string_view message_prefix) {
  try {
    return toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    throw Error(ErrorKind::kInput, std::string(message_prefix) + std::string(e.description()),
                SourceLocation{file_name, static_cast<int64_t>(e.source().begin.line), ""});
  }
}

int64_t line_of(const toml::node& node) { return static_cast<int64_t>(node.source().begin.line); }

void fail_at(const std::string& file_name, const toml::node& node, std::string key, std::string message) {
  throw Error(ErrorKind::kInput, std::move(message), SourceLocation{file_name, line_of(node), std::move(key)});
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, "cannot open file", SourceLocation{path.string(), 0, ""});
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw Error(ErrorKind::kIo, "cannot read file", SourceLocation{path.string(), 0, ""});
  return std::move(buffer).str();
}

std::string_view type_name_of(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::none:
      return "nothing";
  }
  return "unknown";
}

void LabelledNodeReader::fail(const toml::node& node, const std::string& key, const std::string& message) const {
  fail_at(file_, node, key, label_ + ": " + message);
}

std::string LabelledNodeReader::string_of(const toml::node& node, const std::string& key) const {
  if (!node.is_string()) fail(node, key, "'" + key + "' must be a string, not a " + std::string(type_name_of(node)));
  return node.as_string()->get();
}

}  // namespace caploop
