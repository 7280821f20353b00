// The built-in mapping rules' TOML text, compiled into the binary so `caploop map` and `caploop plan` work without
// data/mapping/mapping_rules.toml.
//
// Contract: builtin_mapping_rules_toml() equals data/mapping/mapping_rules.toml byte for byte: its definition is
// generated from that file at build time (caploop_embed_text in CMakeLists.txt). The view points to static
// storage, valid for the whole program.
#pragma once

#include <string_view>

namespace caploop {

// Source name of the built-in rules in errors and outputs (MappingRules::source).
inline constexpr std::string_view kBuiltinMappingRulesName = "<built-in>";

std::string_view builtin_mapping_rules_toml();

}  // namespace caploop
