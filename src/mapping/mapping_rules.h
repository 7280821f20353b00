// MappingRules: the declarative rules that connect evaluation tags (what a weak slice is about) to data tags
// (which pre-training documents exercise it), as loaded from a TOML file (data/mapping/mapping_rules.toml is the
// built-in set; format in docs/mapping.md).
//
// A rule: `when` names one evaluation tag "axis=value" (it also covers the value's descendants, so
// "operation=counting" covers "operation=counting.case_enumeration"); `target` lists data tags "axis.tag" that a
// document must ALL carry (a conjunction of at most two tags, from different data axes); `weight` (> 0) scales
// how much of the weakness's demand goes to that target; `reason` says why, in a sentence. A rule with
// `no_data = true` and no target says that a weakness there is not a data problem (output constraints).
//
// Contract: parse_mapping_rules() validates the file up front (unknown keys, wrong types, missing reason,
// malformed tags, empty target without no_data) and throws caploop::Error (kInput) naming file, line and key.
// validate_against() checks every `when` against an evaluation taxonomy and every target tag against a data
// taxonomy, and throws kInput naming the rule's line and the unknown tag ("a mapping rule naming a tag the data
// taxonomy lacks"). The value is immutable once built; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace caploop {
class EvalTaxonomy;
namespace corpus {
struct DataTaxonomy;
}

struct MappingRule {
  std::string id;                   // unique within the file
  std::string when;                 // "operation=counting.case_enumeration"
  std::vector<std::string> target;  // {"math_subfield.counting_probability", "capability.worked_solution"}
  double weight = 1.0;
  bool no_data = false;
  std::string reason;
  int64_t line = 0;  // where it was declared
};

struct MappingRules {
  std::string name;
  int64_t version = 0;
  std::string source;       // file, or "<built-in>"
  std::string fingerprint;  // FNV-1a 64 hex of the text
  std::vector<MappingRule> rules;
};

MappingRules parse_mapping_rules(const std::string& toml_text, const std::string& source_name);
MappingRules load_mapping_rules(const std::string& path);
MappingRules builtin_mapping_rules();

void validate_against(const MappingRules& rules, const EvalTaxonomy& eval_taxonomy,
                      const corpus::DataTaxonomy& data_taxonomy);

}  // namespace caploop
