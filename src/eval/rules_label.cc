#include "eval/rules_label.h"

#include <initializer_list>
#include <optional>
#include <string>

#include "eval/answer_text.h"

namespace caploop {
namespace {

struct LabelHit {
  std::string_view label;  // as listed in the rule's label set (lower case)
  size_t begin = 0;
  size_t end = 0;
};

class LabelSetRule : public ScoringRule {
 public:
  LabelSetRule(std::string_view name, std::string_view description, std::initializer_list<std::string_view> labels)
      : name_(name), description_(description), labels_(labels) {}

  std::string_view name() const override { return name_; }
  int version() const override { return 1; }
  std::string_view description() const override { return description_; }

  Extraction extract(std::string_view response) const override {
    constexpr std::string_view kPhrase = "answer is";
    Extraction x;
    x.n_statements = static_cast<int>(count_occurrences_ignore_case(response, kPhrase));
    std::optional<LabelHit> hit;
    size_t statement_begin = 0;
    size_t phrase = rfind_ignore_case(response, kPhrase);
    if (phrase != kNotFound) {
      size_t from = phrase + kPhrase.size();
      hit = first_label(response, from, end_of_line(response, from));
      statement_begin = phrase;
    }
    if (!hit) {
      hit = last_label(response);
      if (hit) statement_begin = hit->begin;
    }
    if (!hit) return x;
    x.found = true;
    x.answer.assign(hit->label);
    x.statement_begin = statement_begin;
    x.statement_end = hit->end;
    return x;
  }

  bool judge(std::string_view answer, std::string_view reference) const override {
    return equals_ignore_case(answer, strip_one_trailing_period(trim(reference)));
  }

 private:
  std::optional<LabelHit> label_at(std::string_view text, size_t i) const {
    // Cheap rejections first: a label starts a word and begins with one of the labels' first letters.
    if (i > 0 && is_ascii_alnum(text[i - 1])) return std::nullopt;
    const char c = to_lower_ascii(text[i]);
    bool possible = false;
    for (std::string_view label : labels_) possible = possible || label[0] == c;
    if (!possible) return std::nullopt;
    std::optional<LabelHit> best;
    for (std::string_view label : labels_) {  // longest match wins ("invalid" over "in...")
      if (i + label.size() <= text.size() && equals_ignore_case(text.substr(i, label.size()), label) &&
          is_whole_word(text, i, i + label.size()) && (!best || label.size() > best->label.size())) {
        best = LabelHit{label, i, i + label.size()};
      }
    }
    return best;
  }

  std::optional<LabelHit> first_label(std::string_view text, size_t from, size_t to) const {
    for (size_t i = from; i < to; ++i) {
      if (auto hit = label_at(text.substr(0, to), i)) return hit;
    }
    return std::nullopt;
  }

  std::optional<LabelHit> last_label(std::string_view text) const {
    for (size_t i = text.size(); i-- > 0;) {
      if (auto hit = label_at(text, i)) return hit;
    }
    return std::nullopt;
  }

  std::string_view name_;
  std::string_view description_;
  std::vector<std::string_view> labels_;
};

}  // namespace

std::vector<std::unique_ptr<ScoringRule>> make_label_rules() {
  std::vector<std::unique_ptr<ScoringRule>> rules;
  rules.push_back(std::make_unique<LabelSetRule>(
      "yes-no",
      "Yes/No answers: the first \"yes\" or \"no\" (whole word, any case) after the last \"answer is\" "
      "on that line, else the last \"yes\"/\"no\" anywhere; compared case-insensitively with the "
      "reference (trimmed, one trailing \".\" removed).",
      std::initializer_list<std::string_view>{"yes", "no"}));
  rules.push_back(std::make_unique<LabelSetRule>(
      "true-false",
      "True/False answers: the first \"true\" or \"false\" (whole word, any case) after the last "
      "\"answer is\" on that line, else the last one anywhere; compared case-insensitively with the "
      "reference (trimmed, one trailing \".\" removed).",
      std::initializer_list<std::string_view>{"true", "false"}));
  rules.push_back(std::make_unique<LabelSetRule>(
      "label",
      "Binary labels of any common set (yes/no, true/false, valid/invalid): the first such label (whole "
      "word, any case) after the last \"answer is\" on that line, else the last label anywhere; compared "
      "case-insensitively with the reference (trimmed, one trailing \".\" removed).",
      std::initializer_list<std::string_view>{"yes", "no", "true", "false", "valid", "invalid"}));
  return rules;
}

}  // namespace caploop
