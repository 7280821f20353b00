// The built-in mapping rules' TOML text, compiled into the binary so `caploop map` and `caploop plan` work without
// data/mapping/mapping_rules.toml.
//
// Contract: builtin_mapping_rules_toml() equals data/mapping/mapping_rules.toml byte for byte (a test checks it);
// builtin_mapping_rules_text.cc is generated from that file by scripts/embed_mapping_rules.sh. The view points
// to static storage, valid for the whole program.
#pragma once

#include <string_view>

namespace caploop {

// Source name of the built-in rules in errors and outputs (MappingRules::source).
inline constexpr std::string_view kBuiltinMappingRulesName = "<built-in>";

std::string_view builtin_mapping_rules_toml();

}  // namespace caploop
