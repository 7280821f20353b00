// json_text: the few JSON columns of the workspace (stop sequences, settings) encoded and decoded.
//
// Contract: encode_string_array() gives a JSON array of strings; parse_string_array() reads one back and
// throws Error(kStore) on text that is not an array of strings (a damaged workspace).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caploop::json_text {

std::string encode_string_array(const std::vector<std::string>& values);
std::vector<std::string> parse_string_array(std::string_view json);

}  // namespace caploop::json_text
