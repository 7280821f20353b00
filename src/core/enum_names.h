// EnumNames: the table between a closed set's enum values and the names outputs spell them with, so that each
// set's name() and parse() are one lookup in one table.
//
// Contract: a table lists every value once with a distinct name. enum_name() of a value missing from the table
// gives "?" (a programming error, never an input); parse_enum() of a name missing from it gives std::nullopt,
// for the caller to reject with an error naming its file and field. constexpr data; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace caploop {

template <typename Enum, std::size_t N>
using EnumNames = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Enum, std::size_t N>
constexpr std::string_view enum_name(const EnumNames<Enum, N>& table, Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> parse_enum(const EnumNames<Enum, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace caploop
