// The built-in data taxonomy's TOML text, compiled into the binary so `caploop corpus tag` works without
// data/taxonomy/data_taxonomy.toml. builtin_taxonomy.cc is generated from that file by
// scripts/embed_data_taxonomy.sh; a test fails when the two differ.
#pragma once

#include <string_view>

namespace caploop::corpus {

std::string_view builtin_data_taxonomy_toml();

}  // namespace caploop::corpus
