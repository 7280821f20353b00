#include "eval/answer_shape.h"

#include "eval/answer_text.h"

namespace caploop {

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_bracket(char c) { return std::string_view("()[]{}<>").find(c) != std::string_view::npos; }

char word_symbol(std::string_view word) {
  bool rest_lower = true;
  bool all_lower = true;
  for (size_t i = 0; i < word.size(); ++i) {
    if (is_upper(word[i])) {
      all_lower = false;
      if (i > 0) rest_lower = false;
    }
  }
  if (all_lower) return 'w';
  if (word.size() == 1) return 'L';
  return rest_lower ? 'C' : 'W';
}

}  // namespace

std::string answer_shape(std::string_view text) {
  std::string out;
  auto emit = [&out](char symbol) {
    if (out.empty() || out.back() != symbol) out.push_back(symbol);
  };
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (is_space(c)) {
      ++i;
    } else if (is_letter(c)) {
      size_t j = i;
      while (j < text.size() && is_letter(text[j])) ++j;
      emit(word_symbol(text.substr(i, j - i)));
      i = j;
    } else if (is_ascii_digit(c) || (c == '-' && i + 1 < text.size() && is_ascii_digit(text[i + 1]))) {
      size_t j = i + 1;
      while (j < text.size() && (is_ascii_digit(text[j]) || ((text[j] == '.' || text[j] == ',') &&
                                                             j + 1 < text.size() && is_ascii_digit(text[j + 1])))) {
        ++j;
      }
      emit('9');
      i = j;
    } else if (is_bracket(c)) {
      emit('b');
      ++i;
    } else {
      emit(c);
      ++i;
    }
  }
  return out;
}

bool has_reference_shape(std::string_view answer, std::string_view reference) {
  return answer_shape(answer) == answer_shape(reference);
}

}  // namespace caploop
