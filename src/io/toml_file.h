// TOML files: what caploop's TOML loaders (evaluation taxonomy, tagging rules, annotations, mapping rules, data
// taxonomy, diagnosis options, loop configuration) share: reading a small file, parsing it with toml++, and
// turning toml++'s failures and nodes into caploop::Error with file, line and key.
//
// Contract: free functions, no state; safe to call from any thread. A syntax error or a bad value throws
// caploop::Error kInput naming the file, the line toml++ reports and (for fail_at) the key; a file that cannot
// be opened or read throws kIo naming it (line 0). Nothing is printed.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace caploop {

// Parses TOML text; a syntax error becomes kInput at `file_name` and the line toml++ reports, with the message
// `message_prefix` followed by toml++'s description. Most loaders say "invalid TOML: ..."; the data taxonomy
// and the diagnosis options have always given toml++'s description alone and pass "".
toml::table parse_toml_or_throw(std::string_view text, const std::string& file_name,
                                std::string_view message_prefix = "invalid TOML: ");

// The 1-based line a node was defined on (0 when toml++ does not know).
int64_t line_of(const toml::node& node);

// Throws kInput with `message` at `file_name`, the node's line and `key`.
[[noreturn]] void fail_at(const std::string& file_name, const toml::node& node, std::string key, std::string message);

// Reads a whole small text file as it is on disk; throws kIo naming it when it cannot be opened or read.
std::string read_text_file(const std::filesystem::path& path);

// toml++'s name for a node's type ("string", "integer", "table", ...), for messages.
std::string_view type_name_of(const toml::node& node);

// Reads the nodes of one labelled entry of a rules file ("rule 'counting-cases'"): every error is kInput at
// the offending node's line and key, its message prefixed with the label. Holds a reference to `file`.
class LabelledNodeReader {
 public:
  LabelledNodeReader(const std::string& file, std::string label) : file_(file), label_(std::move(label)) {}

  [[noreturn]] void fail(const toml::node& node, const std::string& key, const std::string& message) const;
  // The node's string; anything else fails with "'key' must be a string, not a <type>".
  std::string string_of(const toml::node& node, const std::string& key) const;

 private:
  const std::string& file_;
  std::string label_;
};

}  // namespace caploop
