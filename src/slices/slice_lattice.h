// Slice lattice: capability slices as conjunctions of tag values, and their enumeration over a set of items.
//
// A slice condition names a key and a value. Keys are the four taxonomy axes ("background", "task",
// "operation", "output"), whose values are hierarchical (an item matches `operation=arithmetic` when it has a
// value equal to or below `arithmetic`), and plain dimensions ("benchmark", "task_name", "level", ...: exact
// match). NOTE: the plain dimension `task` of ItemTags (the benchmark's task name) is exposed under the key
// "task_name" to keep it apart from the taxonomy axis "task".
// A slice is a conjunction of conditions on distinct keys, at most `max_order` of them; its items are the
// indices (into the caller's item array) of the items matching every condition, sorted ascending.
//
// enumerate_slices() walks the lattice level by level (Apriori-style): a conjunction is kept only when it has
// at least `min_support` items, so the search stays small; it never returns two slices with the same item set
// and conditions, and returns slices in a deterministic order (by order, then by the text of the key).
// Pure function; thread-safe.
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
  std::string to_string() const;           // "operation=logic.deduction & background=everyday_scenario"
  std::vector<std::string> tags() const;   // {"operation=logic.deduction", ...}
  size_t order() const { return conditions.size(); }
  bool operator==(const SliceKey&) const = default;
};

struct Slice {
  SliceKey key;
  std::vector<uint32_t> items;  // indices into the enumerated item array, ascending
};

struct LatticeOptions {
  int max_order = 3;
  int64_t min_support = 20;
  // Keys to slice by. Taxonomy axes match hierarchically at every level of their values (ancestors included).
  std::vector<std::string> keys = {"background", "task", "operation", "output", "benchmark", "task_name", "level"};
};

std::vector<Slice> enumerate_slices(std::span<const ItemTags> items, const LatticeOptions& options);

// Whether one item satisfies a condition (hierarchical for axes, exact for dimensions).
bool item_matches(const ItemTags& item, const SliceCondition& condition);

}  // namespace caploop
