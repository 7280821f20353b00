// Helpers shared by the taxonomy layer's TOML loaders: turning toml++ parse failures and nodes into
// caploop::Error kInput with file, line and key. Internal to src/taxonomy.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace caploop::taxonomy_detail {

// Parses TOML text; a syntax error becomes kInput naming `file_name` and the line toml++ reports.
toml::table parse_toml_or_throw(std::string_view text, const std::string& file_name);

// The line a node was defined on (0 when toml++ does not know).
int64_t line_of(const toml::node& node);

// Throws kInput at the node's line with the given key.
[[noreturn]] void fail_at(const std::string& file_name, const toml::node& node, std::string key, std::string message);

// Reads a whole small text file; throws kIo naming it when it cannot be opened or read.
std::string read_text_file(const std::filesystem::path& path);

// toml++'s name for a node's type ("string", "integer", "table", ...), for messages.
std::string_view type_name_of(const toml::node& node);

}  // namespace caploop::taxonomy_detail
