// TomlTableReader: reads the keys of one table of a TOML configuration file (a [[runs]] entry, the [taxonomy]
// header, ...) with type checks, so that every loader reports a bad key the same way.
//
// Contract: the table is named in errors by `prefix` ("runs[2]"; "" for the top level), a key by its dotted
// name ("runs[2].paths"). Every failure throws caploop::Error kInput at `file`, the line of the offending node
// (the table's line when the key is absent) and the dotted key: a wrong type says "expected a string, got
// integer", a missing required key "missing required key 'runs[2].name'", an unknown key "unknown key
// 'runs[2].pathz'". Getters return nullopt for an absent key and mark the key as read; reject_unknown() then
// fails on the first key never read (call it after reading), allow_only() on the first key outside a list.
// Holds references to the table, which must outlive the reader.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace caploop {

class TomlTableReader {
 public:
  TomlTableReader(std::string file, const toml::table& table, std::string prefix);

  const std::string& file() const { return file_; }
  std::string key_name(std::string_view key) const;  // "prefix.key", or "key" at the top level
  bool has(std::string_view key) const { return table_.contains(key); }
  int64_t line() const;                                // the table's line
  int64_t line_of_key(std::string_view key) const;     // the key's line, else the table's
  const toml::node* node(std::string_view key) const;  // marks the key read; nullptr when absent

  std::optional<std::string> string(std::string_view key) const;
  std::string required_string(std::string_view key) const;  // absent: missing(); "" is allowed
  std::string nonempty_string(std::string_view key) const;  // absent: missing(); "" fails
  std::optional<int64_t> integer(std::string_view key) const;
  std::optional<double> number(std::string_view key) const;  // an integer or a float
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<std::vector<std::string>> strings(std::string_view key) const;            // an array of strings
  std::optional<std::vector<std::string>> string_or_strings(std::string_view key) const;  // "x" reads as ["x"]
  const toml::array* array(std::string_view key) const;  // any array; nullptr when absent

  // Fails at the key's node (the table when absent or when `key` is ""), the dotted key, with `message`.
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  [[noreturn]] void missing(std::string_view key) const;
  [[noreturn]] void wrong_type(const toml::node& n, std::string_view key, std::string_view expected) const;

  void reject_unknown() const;
  void allow_only(std::initializer_list<std::string_view> keys) const;

 private:
  std::string file_;
  const toml::table& table_;
  std::string prefix_;
  mutable std::set<std::string, std::less<>> read_;
};

}  // namespace caploop
