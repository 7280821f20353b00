// TagCoverage: which items got which tags, per axis, and which got none — the report behind `caploop tag`.
//
// compute() counts, for every value of the taxonomy (zeros included), the items tagged exactly with it and
// the items tagged at or below it, and lists per axis the items with no value on that axis. Items are never
// dropped: an item without tags is counted in `items` and listed as untagged. Item keys are "<task>:<id>".
// Output is deterministic: values in taxonomy order, items in input order. Plain values; no shared state.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "taxonomy/eval_taxonomy.h"
#include "taxonomy/taggable_item.h"

namespace caploop {

struct TaggedItem {
  std::string benchmark;
  std::string task;
  std::string source_id;
  ItemTags tags;
};

struct ValueCoverage {
  std::string value;
  int64_t exact = 0;  // items tagged with this very value
  int64_t under = 0;  // items tagged with it or a value below it
};

struct AxisCoverage {
  std::vector<ValueCoverage> values;        // every taxonomy value of the axis, sorted
  std::vector<std::string> untagged_items;  // "<task>:<id>" of items with no value on this axis
  int64_t tagged_items = 0;
};

struct TagCoverage {
  int64_t items = 0;
  std::array<AxisCoverage, 4> axes;  // indexed by Axis
  // Values found on items but missing from the taxonomy (only possible with hand-built ItemTags).
  std::vector<std::string> unknown_values;

  static TagCoverage compute(const EvalTaxonomy& taxonomy, const std::vector<TaggedItem>& items);
  const AxisCoverage& axis(Axis a) const { return axes[static_cast<size_t>(a)]; }
};

// The coverage and every item's tags as one JSON object:
// {"items": N, "axes": {"<axis>": {"tagged": n, "untagged": [...], "values": {"<value>": {"exact", "under"}}}},
//  "tagged_items": [{"item", "benchmark", "task", "tags": {"<axis>": [...]}, "dims": {...}}]}.
std::string tag_coverage_json(const TagCoverage& coverage, const std::vector<TaggedItem>& items);

// A short human-readable summary: per axis, tagged/untagged counts and the values in use with their counts.
std::string tag_coverage_text(const TagCoverage& coverage);

}  // namespace caploop
