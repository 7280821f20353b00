// EvalTaxonomy: the four axes along which an evaluation item is described, each a hierarchy of dotted values.
//
// Axes: `background` (the setting an item is posed in), `task` (what the item asks for), `operation` (the
// solving operation; an item may carry several) and `output` (the form the answer must take). A value is a
// dotted path of lower-case segments such as `arithmetic.multi_step`; its parent is the prefix before the last
// dot and must itself be a value of the same axis. Every value has a one-line description.
//
// File format (docs/taxonomy.md): a TOML file with one table per axis whose keys are quoted dotted values and
// whose values are description strings. Loading validates everything (syntax, unknown axis, malformed or
// duplicate value, missing parent, wrong type) and throws caploop::Error kInput naming the file, the line and
// the key. A loaded taxonomy is an immutable value: safe to share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caploop {

enum class Axis { kBackground = 0, kTask = 1, kOperation = 2, kOutput = 3 };
inline constexpr std::array<Axis, 4> kAllAxes = {Axis::kBackground, Axis::kTask, Axis::kOperation, Axis::kOutput};

// "background", "task", "operation", "output".
std::string_view axis_name(Axis axis);
// The axis with that name, or nullopt.
std::optional<Axis> axis_from_name(std::string_view name);

// True when `value` is `ancestor` itself or lies below it (`a.b.c` is under `a.b` and `a`, not under `a.b2`).
bool value_is_under(std::string_view value, std::string_view ancestor);

struct TaxonomyValue {
  std::string value;  // dotted path within its axis, e.g. "arithmetic.multi_step"
  std::string description;
  int64_t line = 0;  // where it was defined
};

class EvalTaxonomy {
 public:
  // Parses taxonomy TOML text; `file_name` is used in error locations only.
  static EvalTaxonomy parse(std::string_view toml_text, const std::string& file_name);
  // Reads and parses a file; a missing or unreadable file is kIo naming it.
  static EvalTaxonomy load(const std::filesystem::path& path);
  // The taxonomy that ships with caploop (data/taxonomy/eval_taxonomy.toml, embedded in the library).
  static const EvalTaxonomy& builtin();

  bool contains(Axis axis, std::string_view value) const;
  // The values of an axis, sorted by value (so parents come before their children).
  const std::vector<TaxonomyValue>& values(Axis axis) const { return axes_[static_cast<size_t>(axis)]; }
  // The definition of a value, or nullptr when it is not in the taxonomy.
  const TaxonomyValue* find(Axis axis, std::string_view value) const;
  // "" for a top-level value, else the prefix before the last dot.
  static std::string_view parent_of(std::string_view value);
  // The value's ancestors from the top down, excluding the value itself.
  static std::vector<std::string> ancestors_of(std::string_view value);
  const std::string& source_name() const { return source_name_; }

 private:
  std::array<std::vector<TaxonomyValue>, 4> axes_;
  std::string source_name_;
};

}  // namespace caploop
