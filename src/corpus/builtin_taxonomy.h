// The built-in data taxonomy's TOML text, compiled into the binary so `caploop corpus tag` works without
// data/taxonomy/data_taxonomy.toml. The definition is generated from that file at build time (caploop_embed_text
// in CMakeLists.txt): the text is the file's, byte for byte.
#pragma once

#include <string_view>

namespace caploop::corpus {

std::string_view builtin_data_taxonomy_toml();

}  // namespace caploop::corpus
