// SliceMapping: which mapping rules fire for which weak slices, which data categories they point to, and which
// weak slices map to nothing (the gap a user must see).
//
// Contract: for each tag of a slice (its tags, then the tags of its equivalent tag sets, which select the same
// items), the rules whose `when` equals the tag or is its nearest ancestor fire (the most specific rule wins;
// several rules with the same `when` all fire); a rule fires at most once per slice, for the first tag that
// matched it. A slice's status is
//   "mapped"   some fired rule has a target,
//   "not_data" only no_data rules fired (e.g. an output constraint),
//   "unmapped" no rule fired for any of its tags.
// A category is the sorted conjunction of a rule's target tags written as Dolma attribute names joined by
// "&" ("capability__worked_solution&math_subfield__counting_probability"). Results are in slice order, fired
// rules in file order, categories sorted by name: deterministic. Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "mapping/mapping_rules.h"
#include "mapping/weak_slice.h"

namespace caploop {

struct FiredRule {
  std::string rule_id;
  std::string matched_tag;  // the slice tag the rule matched
  std::string category;     // "" for a no_data rule
  double weight = 1.0;
};

struct SliceMappingRow {
  const WeakSlice* slice = nullptr;  // points into the WeakSliceList given to map_weak_slices
  std::string status;                // "mapped", "not_data", "unmapped"
  std::vector<FiredRule> fired;
};

struct SliceMapping {
  std::vector<SliceMappingRow> rows;     // one per slice, in slice order
  std::vector<std::string> categories;   // distinct categories of all fired rules, sorted
};

// "math_subfield.counting_probability" -> "math_subfield__counting_probability"
std::string attribute_name_of(const std::string& dotted_data_tag);
// Category name of a target (sorted attribute names joined by "&").
std::string category_name(const std::vector<std::string>& dotted_target);

SliceMapping map_weak_slices(const MappingRules& rules, const std::vector<WeakSlice>& slices);

}  // namespace caploop
