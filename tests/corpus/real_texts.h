// Real texts for the corpus tests: the string `field` of the first `limit` records of a JSONL file under
// ../shared/data that carry it (records that do not are passed over).
#pragma once

#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace caploop::corpus::testing_reference {

inline std::vector<std::string> texts_of(const std::filesystem::path& jsonl, const std::string& field, size_t limit) {
  std::vector<std::string> out;
  std::ifstream in(jsonl);
  std::string line;
  simdjson::dom::parser parser;
  while (out.size() < limit && std::getline(in, line)) {
    std::string_view text;
    if (!parser.parse(line)[field].get(text)) out.emplace_back(text);
  }
  return out;
}

}  // namespace caploop::corpus::testing_reference
