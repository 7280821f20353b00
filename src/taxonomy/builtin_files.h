// The built-in taxonomy and tagging rules, embedded in the library so caploop works without data files.
//
// Contract: the returned text equals data/taxonomy/eval_taxonomy.toml and data/taxonomy/eval_rules.toml byte for
// byte: the definitions are generated from those files at build time (caploop_embed_text in CMakeLists.txt), so
// they cannot drift. The views point to static storage and are valid for the whole program.
#pragma once

#include <string_view>

namespace caploop {

inline constexpr std::string_view kBuiltinEvalTaxonomyName = "<built-in>/data/taxonomy/eval_taxonomy.toml";
inline constexpr std::string_view kBuiltinEvalRulesName = "<built-in>/data/taxonomy/eval_rules.toml";

std::string_view builtin_eval_taxonomy_toml();
std::string_view builtin_eval_rules_toml();

}  // namespace caploop
