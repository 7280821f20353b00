#include "io/toml_table_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "io/toml_file.h"

namespace caploop {

TomlTableReader::TomlTableReader(std::string file, const toml::table& table, std::string prefix)
    : file_(std::move(file)), table_(table), prefix_(std::move(prefix)) {}

std::string TomlTableReader::key_name(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

int64_t TomlTableReader::line() const { return line_of(table_); }

int64_t TomlTableReader::line_of_key(std::string_view key) const {
  const toml::node* n = table_.get(key);
  return n ? line_of(*n) : line_of(table_);
}

const toml::node* TomlTableReader::node(std::string_view key) const {
  read_.insert(std::string(key));
  return table_.get(key);
}

std::optional<std::string> TomlTableReader::string(std::string_view key) const {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_string()) wrong_type(*n, key, "a string");
  return n->as_string()->get();
}

std::string TomlTableReader::required_string(std::string_view key) const {
  std::optional<std::string> s = string(key);
  if (!s) missing(key);
  return *s;
}

std::string TomlTableReader::nonempty_string(std::string_view key) const {
  std::string s = required_string(key);
  if (s.empty()) fail(key, "must not be empty");
  return s;
}

std::optional<int64_t> TomlTableReader::integer(std::string_view key) const {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_integer()) wrong_type(*n, key, "an integer");
  return n->as_integer()->get();
}

std::optional<double> TomlTableReader::number(std::string_view key) const {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (n->is_integer()) return static_cast<double>(n->as_integer()->get());
  if (!n->is_floating_point()) wrong_type(*n, key, "a number");
  return n->as_floating_point()->get();
}

std::optional<bool> TomlTableReader::boolean(std::string_view key) const {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_boolean()) wrong_type(*n, key, "true or false");
  return n->as_boolean()->get();
}

std::optional<std::vector<std::string>> TomlTableReader::strings(std::string_view key) const {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_array()) wrong_type(*n, key, "an array of strings");
  std::vector<std::string> out;
  for (const toml::node& e : *n->as_array()) {
    if (!e.is_string()) wrong_type(e, key, "an array of strings");
    out.push_back(e.as_string()->get());
  }
  return out;
}

std::optional<std::vector<std::string>> TomlTableReader::string_or_strings(std::string_view key) const {
  const toml::node* n = table_.get(key);
  if (n && n->is_string()) {
    read_.insert(std::string(key));
    return std::vector<std::string>{n->as_string()->get()};
  }
  return strings(key);
}

const toml::array* TomlTableReader::array(std::string_view key) const {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (!n->is_array()) wrong_type(*n, key, "an array");
  return n->as_array();
}

void TomlTableReader::fail(std::string_view key, const std::string& message) const {
  const toml::node* n = key.empty() ? nullptr : table_.get(key);
  fail_at(file_, n ? *n : table_, key.empty() ? prefix_ : key_name(key), message);
}

void TomlTableReader::missing(std::string_view key) const {
  throw Error(ErrorKind::kInput, fmt::format("missing required key '{}'", key_name(key)),
              SourceLocation{file_, line_of(table_), key_name(key)});
}

void TomlTableReader::wrong_type(const toml::node& n, std::string_view key, std::string_view expected) const {
  fail_at(file_, n, key_name(key), fmt::format("expected {}, got {}", expected, type_name_of(n)));
}

void TomlTableReader::reject_unknown() const {
  for (const auto& [k, v] : table_) {
    if (!read_.contains(k.str()))
      fail_at(file_, v, key_name(k.str()), fmt::format("unknown key '{}'", key_name(k.str())));
  }
}

void TomlTableReader::allow_only(std::initializer_list<std::string_view> keys) const {
  for (const auto& [k, v] : table_) {
    if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
      fail_at(file_, v, key_name(k.str()), fmt::format("unknown key '{}'", key_name(k.str())));
  }
}

}  // namespace caploop
