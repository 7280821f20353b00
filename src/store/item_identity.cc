#include "store/item_identity.h"

#include <simdjson.h>

namespace caploop {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void append_normalized(std::string_view text, std::string& out) {
  for (char c : text) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
}

void append_strings(simdjson::dom::element value, std::string& out) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      if (!out.empty() && out.back() != ' ') out += ' ';
      append_normalized(value.get_string().value_unsafe(), out);
      break;
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array array;
      if (value.get_array().get(array) == simdjson::SUCCESS) {
        for (simdjson::dom::element e : array) append_strings(e, out);
      }
      break;
    }
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object object;
      if (value.get_object().get(object) == simdjson::SUCCESS) {
        for (auto field : object) append_strings(field.value, out);
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace

std::string normalized_item_content(std::string_view text) {
  std::string out;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '[' || text[first] == '{')) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(text);
    simdjson::dom::element root;
    if (parser.parse(padded).get(root) == simdjson::SUCCESS) append_strings(root, out);
  }
  if (out.empty()) append_normalized(text, out);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

bool same_item_content(std::string_view stored, std::string_view incoming) {
  const std::string a = normalized_item_content(stored);
  const std::string b = normalized_item_content(incoming);
  if (a.empty() || b.empty()) return true;
  if (a.size() <= b.size()) return b.find(a) != std::string::npos;
  return a.find(b) != std::string::npos;
}

}  // namespace caploop
