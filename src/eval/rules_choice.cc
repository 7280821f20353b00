#include "eval/rules_choice.h"

#include <optional>

#include "eval/answer_text.h"

namespace caploop {
namespace {

bool is_choice_letter(char c) { return c >= 'A' && c <= 'J'; }

struct LetterHit {
  char letter = 0;
  size_t begin = 0;  // statement span
  size_t end = 0;
};

// The letter of an "answer is" statement whose phrase starts at `phrase`, if it names one.
std::optional<LetterHit> letter_after_phrase(std::string_view text, size_t phrase, size_t phrase_len) {
  size_t i = phrase + phrase_len;
  auto skip_spaces = [&] {
    while (i < text.size() && is_space(text[i])) ++i;
  };
  skip_spaces();
  if (i < text.size() && text[i] == ':') ++i;
  skip_spaces();
  while (i < text.size() && text[i] == '*') ++i;  // markdown bold: "answer is **(B)**"
  if (i + 2 < text.size() && text[i] == '(' && is_choice_letter(text[i + 1]) && text[i + 2] == ')') {
    return LetterHit{text[i + 1], phrase, i + 3};
  }
  if (i < text.size() && is_choice_letter(text[i]) && is_whole_word(text, i, i + 1)) {
    return LetterHit{text[i], phrase, i + 1};
  }
  return std::nullopt;
}

// All "answer is X" statements (case-insensitive phrase), in order of position: the last one and a count.
struct StrictScan {
  std::optional<LetterHit> last;
  int count = 0;
};

StrictScan scan_strict(std::string_view text) {
  constexpr std::string_view kPhrase = "answer is";
  StrictScan scan;
  for (size_t pos = find_ignore_case(text, kPhrase); pos != kNotFound;
       pos = find_ignore_case(text, kPhrase, pos + kPhrase.size())) {
    if (auto hit = letter_after_phrase(text, pos, kPhrase.size())) {
      scan.last = hit;
      ++scan.count;
    }
  }
  return scan;
}

std::optional<LetterHit> last_parenthesised_letter(std::string_view text) {
  for (size_t i = text.size(); i >= 3; --i) {
    size_t b = i - 3;
    if (text[b] == '(' && is_choice_letter(text[b + 1]) && text[b + 2] == ')') return LetterHit{text[b + 1], b, i};
  }
  return std::nullopt;
}

std::optional<LetterHit> last_standalone_letter(std::string_view text) {
  for (size_t i = text.size(); i-- > 0;) {
    if (is_choice_letter(text[i]) && is_whole_word(text, i, i + 1)) return LetterHit{text[i], i, i + 1};
  }
  return std::nullopt;
}

Extraction to_extraction(const LetterHit& hit, int n_statements) {
  Extraction x;
  x.found = true;
  x.answer.assign(1, hit.letter);
  x.statement_begin = hit.begin;
  x.statement_end = hit.end;
  x.n_statements = n_statements;
  return x;
}

bool judge_letter(std::string_view answer, std::string_view reference) {
  std::string_view ref = strip_one_trailing_period(trim(reference));
  if (ref.size() == 3 && ref[0] == '(' && ref[2] == ')') ref = ref.substr(1, 1);
  if (ref.size() != 1 || answer.size() != 1) return false;
  char r = ref[0] >= 'a' && ref[0] <= 'z' ? static_cast<char>(ref[0] - 'a' + 'A') : ref[0];
  return r == answer[0];
}

class McLetterRule : public ScoringRule {
 public:
  std::string_view name() const override { return "mc-letter"; }
  int version() const override { return 1; }
  std::string_view description() const override {
    return "Multiple-choice letter, strict: the LAST statement \"answer is (X)\" or \"answer is X\" "
           "(phrase case-insensitive; an optional \":\" and markdown \"**\" may follow; X is a capital A-J, "
           "a bare X must stand alone as a word). The letter is compared with the reference letter, which "
           "may be written \"(X)\", \"X\" or lower case. No statement means no answer.";
  }
  Extraction extract(std::string_view response) const override {
    StrictScan scan = scan_strict(response);
    if (!scan.last) return Extraction{};
    return to_extraction(*scan.last, scan.count);
  }
  bool judge(std::string_view a, std::string_view ref) const override { return judge_letter(a, ref); }
};

class McLetterLenientRule : public ScoringRule {
 public:
  std::string_view name() const override { return "mc-letter-lenient"; }
  int version() const override { return 1; }
  std::string_view description() const override {
    return "Multiple-choice letter, lenient: the \"mc-letter\" statement when there is one, else the last "
           "\"(X)\" in the text, else the last capital A-J standing alone as a word (which can pick up the "
           "article \"A\"; prefer \"mc-letter\" when responses state their answer). Compared like "
           "\"mc-letter\".";
  }
  Extraction extract(std::string_view response) const override {
    StrictScan scan = scan_strict(response);
    if (scan.last) return to_extraction(*scan.last, scan.count);
    if (auto hit = last_parenthesised_letter(response)) return to_extraction(*hit, 0);
    if (auto hit = last_standalone_letter(response)) return to_extraction(*hit, 0);
    return Extraction{};
  }
  bool judge(std::string_view a, std::string_view ref) const override { return judge_letter(a, ref); }
};

}  // namespace

std::vector<std::unique_ptr<ScoringRule>> make_choice_rules() {
  std::vector<std::unique_ptr<ScoringRule>> rules;
  rules.push_back(std::make_unique<McLetterRule>());
  rules.push_back(std::make_unique<McLetterLenientRule>());
  return rules;
}

}  // namespace caploop
