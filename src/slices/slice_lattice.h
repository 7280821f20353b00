// Slice lattice: capability slices as conjunctions of tag values, and their enumeration over a set of items.
//
// A slice condition names a key and a value. Keys are the four taxonomy axes ("background", "task",
// "operation", "output"), whose values are hierarchical (an item matches `operation=arithmetic` when it has a
// value equal to or below `arithmetic`), and plain dimensions ("benchmark", "task_name", "subject", "level",
// ...: exact match). NOTE: the plain dimension `task` of ItemTags (the benchmark's task name) is exposed under
// the key "task_name" to keep it apart from the taxonomy axis "task"; every other dimension keeps its name.
// A slice is a conjunction of conditions on distinct keys, at most `max_order` of them; its items are the
// indices (into the caller's item array) of the items matching every condition, sorted ascending.
//
// enumerate_slices() walks the lattice level by level (Apriori-style) with item sets held as bitsets. It keeps
// a conjunction only when
//   (a) it has at least `min_support` items,
//   (b) every immediate parent (the conjunction minus one condition) was kept, and
//   (c) it has strictly fewer items than each immediate parent: a condition that narrows nothing adds no
//       information, and the same item set is already listed under the shorter key.
// On one key, a value whose item set equals that of a value strictly below it (e.g. `formal_symbolic` when every
// such item is `formal_symbolic.competition_math`) is dropped in favour of the more specific value; values
// with different item sets are all kept, so a general value and its specific children both appear.
// Rules (b) and (c) mean no two returned slices where one extends the other have the same item set; slices
// on unrelated keys may still coincide (e.g. `benchmark=math` and `background=formal_symbolic...`).
// Output order is deterministic: by order, then lexicographically by conditions (key, then value).
// Pure function; thread-safe. Unknown keys are allowed and simply match nothing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "taxonomy/taggable_item.h"

namespace caploop {

struct SliceCondition {
  std::string key;    // "operation", "background", "task", "output", or a dimension: "benchmark", "task_name", "level"
  std::string value;  // dotted taxonomy value, or the dimension's value
  bool operator==(const SliceCondition&) const = default;
  bool operator<(const SliceCondition& o) const { return key != o.key ? key < o.key : value < o.value; }
};

struct SliceKey {
  std::vector<SliceCondition> conditions;  // sorted by key, distinct keys
  std::string to_string() const;           // "background=everyday_scenario & operation=logic.deduction"
  std::vector<std::string> tags() const;   // {"background=everyday_scenario", "operation=logic.deduction"}
  size_t order() const { return conditions.size(); }
  bool operator==(const SliceKey&) const = default;
  bool operator<(const SliceKey& o) const { return conditions < o.conditions; }
};

struct Slice {
  SliceKey key;
  std::vector<uint32_t> items;  // indices into the enumerated item array, ascending
};

struct LatticeOptions {
  int max_order = 3;
  int64_t min_support = 20;
  // Keys to slice by. Taxonomy axes match hierarchically at every level of their values (ancestors included).
  std::vector<std::string> keys = {"background", "task",      "operation", "output",
                                   "benchmark",  "task_name", "subject",   "level"};
};

// Which of two keys selecting the same items should name the slice: the one a data team can act on. Fewer
// conditions first; then, condition by condition, the more actionable key (operation, task, background,
// task_name, subject, level, benchmark, output, any other); then the key text. A strict weak order.
bool names_slice_better(const SliceKey& a, const SliceKey& b);

std::vector<Slice> enumerate_slices(std::span<const ItemTags> items, const LatticeOptions& options);
// The same over pointers to items (none null), for callers that keep the tags inside larger records.
std::vector<Slice> enumerate_slices(std::span<const ItemTags* const> items, const LatticeOptions& options);

// Whether one item satisfies a condition (hierarchical for axes, exact for dimensions).
bool item_matches(const ItemTags& item, const SliceCondition& condition);

// Every (key, value) found on the items for the given keys, with the number of items it matches (axis values
// count their descendants' items; ancestors of assigned values are included). Sorted by condition.
struct ValueSupport {
  SliceCondition condition;
  int64_t items = 0;
};
std::vector<ValueSupport> value_supports(std::span<const ItemTags> items, const std::vector<std::string>& keys);

}  // namespace caploop
