// SliceMapping: which mapping rules fire for which weak slices, which data categories they point to, and which
// weak slices map to nothing (the gap a user must see).
//
// Contract: a tag fires the rules whose `when` equals it or is its nearest ancestor (the most specific rule
// wins; several rules with the same `when` all fire). Three paths lead from a slice to rules, each recorded on
// the rule it fired (`path`):
//   "tags"        the slice's own tags;
//   "equivalent"  the tags of its equivalent tag sets (they select the same items);
//   "operations"  the tags of its operation parts (mapping/weak_slice.h) that lost accuracy (deficit_share > 0,
//                 q_value <= 0.05), each weighted by its share of the slice's deficit (`share`; a rule fired
//                 by several parts sums their shares).
// The operation path is taken when the slice is split (a union of parts with different accuracies: it is read
// as its parts, so only this path is taken) or when its tags and equivalents fire no rule with a target (a
// slice named by output or background maps through what its items make the model do); otherwise the first two
// paths, with share 1. A rule fires at most once per slice, for the first tag that matched it. A slice's
// status is
//   "mapped"   some fired rule has a target,
//   "not_data" only no_data rules fired (e.g. an output constraint),
//   "unmapped" no rule fired for any of its tags
// (SliceStatus; a plan adds "no_documents" for a mapped slice whose categories hold no documents).
// A category is the sorted conjunction of a rule's target tags written as Dolma attribute names joined by
// "&" ("capability__worked_solution&math_subfield__counting_probability"). Results are in slice order, fired
// rules in file order, categories sorted by name: deterministic. Pure function; thread-safe.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/mapping_rules.h"
#include "mapping/weak_slice.h"

namespace caploop {

struct FiredRule {
  std::string rule_id;
  std::string matched_tag;  // the slice tag the rule matched
  std::string category;     // "" for a no_data rule
  double weight = 1.0;
  std::string path = "tags";  // "tags", "equivalent" or "operations"
  double share = 1.0;         // of the slice's deficit this rule carries (1 on the tag paths)
};

enum class SliceStatus { kMapped, kNotData, kUnmapped, kNoDocuments };

// "mapped", "not_data", "unmapped", "no_documents" (as mappings, plans and outputs spell them); parse gives
// std::nullopt for any other name.
std::string_view slice_status_name(SliceStatus status);
std::optional<SliceStatus> parse_slice_status(std::string_view name);
std::ostream& operator<<(std::ostream& out, SliceStatus status);

struct SliceMappingRow {
  const WeakSlice* slice = nullptr;  // points into the WeakSliceList given to map_weak_slices
  SliceStatus status = SliceStatus::kUnmapped;
  std::vector<FiredRule> fired;
};

struct SliceMapping {
  std::vector<SliceMappingRow> rows;    // one per slice, in slice order
  std::vector<std::string> categories;  // distinct categories of all fired rules, sorted
};

// "math_subfield.counting_probability" -> "math_subfield__counting_probability"
std::string attribute_name_of(const std::string& dotted_data_tag);
// Category name of a target (sorted attribute names joined by "&").
std::string category_name(const std::vector<std::string>& dotted_target);

SliceMapping map_weak_slices(const MappingRules& rules, const std::vector<WeakSlice>& slices);

}  // namespace caploop
