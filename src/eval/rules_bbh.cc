#include "eval/rules_bbh.h"

#include <string>

#include "eval/answer_text.h"
#include "eval/regex.h"

namespace caploop {
namespace {

constexpr std::string_view kAnswerPhrase = "So the answer is ";

// Trim and drop one trailing "." from [b, e) of `text`, returning the narrowed span.
void narrow_answer(std::string_view text, size_t& b, size_t& e) {
  while (b < e && is_space(text[b])) ++b;
  while (e > b && is_space(text[e - 1])) --e;
  if (e > b && text[e - 1] == '.') --e;
}

// The BBH reference scoring; `use_first` picks the first answer statement instead of the last.
Extraction extract_bbh(std::string_view response, bool use_first) {
  Extraction x;
  x.n_statements = static_cast<int>(count_occurrences(response, kAnswerPhrase));
  size_t phrase = use_first ? response.find(kAnswerPhrase) : response.rfind(kAnswerPhrase);
  size_t b = 0, e = response.size();
  size_t statement_begin = 0;
  if (phrase != kNotFound) {
    statement_begin = phrase;
    b = phrase + kAnswerPhrase.size();
    // The last statement takes the rest of the text (the published scoring does exactly this); the first
    // statement ends at its line end, since what follows may be a run-on new turn.
    if (use_first && x.n_statements > 1) e = end_of_line(response, b);
  }
  size_t raw_end = e;
  while (raw_end > b && is_space(response[raw_end - 1])) --raw_end;
  narrow_answer(response, b, e);
  if (phrase == kNotFound) statement_begin = b;
  x.answer.assign(response.substr(b, e - b));
  x.found = !x.answer.empty();
  if (x.found) {
    x.statement_begin = statement_begin;
    x.statement_end = raw_end;
  } else {
    x.statement_begin = x.statement_end = 0;
  }
  return x;
}

bool judge_bbh(std::string_view answer, std::string_view reference) {
  std::string_view target = trim(reference);
  return answer == target;
}

class BbhRule : public ScoringRule {
 public:
  std::string_view name() const override { return "bbh"; }
  int version() const override { return 1; }
  std::string_view description() const override {
    return "BIG-Bench Hard reference rule (as used to compute the published accuracies of the BBH "
           "paper's released outputs): the answer is the text after the LAST \"So the answer is \" when "
           "present, else the whole prediction (direct prompting); white space and ONE trailing \".\" are "
           "stripped; it must equal the target (white space stripped) exactly, case-sensitively.";
  }
  Extraction extract(std::string_view response) const override { return extract_bbh(response, false); }
  bool judge(std::string_view a, std::string_view ref) const override { return judge_bbh(a, ref); }
};

class BbhFirstRule : public ScoringRule {
 public:
  std::string_view name() const override { return "bbh-first"; }
  int version() const override { return 1; }
  std::string_view description() const override {
    return "Like \"bbh\" but uses the FIRST \"So the answer is \" statement, ending at its line end when "
           "more statements follow; a model that runs on past its answer (writing a new \"Q:\" turn and "
           "another answer) is judged on its first answer. Same normalisation and exact comparison.";
  }
  Extraction extract(std::string_view response) const override { return extract_bbh(response, true); }
  bool judge(std::string_view a, std::string_view ref) const override { return judge_bbh(a, ref); }
};

// lm-eval's strict-match: regex "(?<=the answer is )(.*)(?=.)", take_first, exact_match.
constexpr std::string_view kStrictPattern = "(?<=the answer is )(.*)(?=.)";

Extraction extract_strict(const Regex& re, std::string_view response) {
  Extraction x;
  std::vector<Regex::Match> all = re.find_all(response);
  x.n_statements = static_cast<int>(all.size());
  if (all.empty()) return x;
  const Regex::Match& m = all.front();
  x.found = true;
  x.answer.assign(m.group(response, 1));
  x.statement_begin = m.begin() >= 14 ? m.begin() - 14 : m.begin();  // include "the answer is "
  x.statement_end = m.end() + 1 <= response.size() ? m.end() + 1 : m.end();
  return x;
}

class BbhLmEvalStrictRule : public ScoringRule {
 public:
  BbhLmEvalStrictRule() : strict_(kStrictPattern) {}
  std::string_view name() const override { return "bbh-lm-eval-strict"; }
  int version() const override { return 1; }
  std::string_view harness_metric() const override { return "exact_match,get-answer"; }
  std::string_view description() const override {
    return "lm-evaluation-harness bbh_cot_fewshot \"strict-match\" filter: the FIRST match of the regex "
           "(?<=the answer is )(.*)(?=.) (case-sensitive; \".\" does not cross a line break, so the answer "
           "is the rest of that line minus its last character), compared with the target by exact string "
           "equality without any stripping (lm-eval's exact_match with ignore_case and ignore_punctuation "
           "off). A response without \"the answer is \" scores 0.";
  }
  Extraction extract(std::string_view response) const override { return extract_strict(strict_, response); }
  bool judge(std::string_view a, std::string_view ref) const override { return a == ref; }

 private:
  Regex strict_;
};

enum class LabelSet { kMultipleChoice, kTrueFalse, kYesNo, kValidInvalid, kNumber, kOther };

LabelSet label_set_of(std::string_view reference) {
  std::string_view t = trim(reference);
  if (t.size() == 3 && t[0] == '(' && t[2] == ')' && t[1] >= 'A' && t[1] <= 'Z') return LabelSet::kMultipleChoice;
  if (t == "True" || t == "False") return LabelSet::kTrueFalse;
  if (equals_ignore_case(t, "yes") || equals_ignore_case(t, "no")) return LabelSet::kYesNo;
  if (t == "valid" || t == "invalid") return LabelSet::kValidInvalid;
  bool number = !t.empty();
  for (size_t i = 0; i < t.size(); ++i) {
    if (!(is_ascii_digit(t[i]) || (i == 0 && t[i] == '-'))) number = false;
  }
  if (number && t != "-") return LabelSet::kNumber;
  return LabelSet::kOther;
}

class BbhLmEvalFlexibleRule : public ScoringRule {
 public:
  BbhLmEvalFlexibleRule()
      : strict_(kStrictPattern),
        choice_("(\\([A-Z]\\))"),
        true_false_("\\b(True|False)\\b"),
        yes_no_("\\b(Yes|No|yes|no)\\b"),
        valid_invalid_("\\b(valid|invalid)\\b"),
        number_("([-0-9]+)") {}
  std::string_view name() const override { return "bbh-lm-eval-flexible"; }
  int version() const override { return 1; }
  std::string_view description() const override {
    return "lm-evaluation-harness BBH \"flexible-extract\" filter, choosing the pattern from the target's "
           "label set and taking the LAST match anywhere in the response (group_select -1): "
           "multiple choice \"(X)\" -> \\([A-Z]\\); True/False -> \\b(True|False)\\b; Yes/No -> "
           "\\b(Yes|No|yes|no)\\b; valid/invalid -> \\b(valid|invalid)\\b; integers -> ([-0-9]+). For other "
           "targets (dyck_languages, word_sorting), or when the pattern finds nothing, it falls back to the "
           "strict-match answer. Yes/No answers compare case-insensitively, everything else exactly. "
           "Without a reference (extract() alone) the multiple-choice pattern is used. lm-eval's further "
           "fall-backs that read the question's option texts are not reproduced (a rule sees only the "
           "response and the target).";
  }

  Extraction extract(std::string_view response) const override { return extract_with(choice_, response); }

  Extraction extract_for_reference(std::string_view response, std::string_view reference) const override {
    switch (label_set_of(reference)) {
      case LabelSet::kMultipleChoice:
        return extract_with(choice_, response);
      case LabelSet::kTrueFalse:
        return extract_with(true_false_, response);
      case LabelSet::kYesNo:
        return extract_with(yes_no_, response);
      case LabelSet::kValidInvalid:
        return extract_with(valid_invalid_, response);
      case LabelSet::kNumber:
        return extract_with(number_, response);
      case LabelSet::kOther:
        break;
    }
    return extract_strict(strict_, response);
  }

  bool judge(std::string_view a, std::string_view ref) const override {
    if (label_set_of(ref) == LabelSet::kYesNo) return equals_ignore_case(a, trim(ref));
    return a == ref;
  }

 private:
  Extraction extract_with(const Regex& pattern, std::string_view response) const {
    std::optional<Regex::Match> last = pattern.find_last(response);
    if (!last) return extract_strict(strict_, response);
    Extraction x;
    x.found = true;
    Regex::Span g = last->first_participating_group();
    x.answer.assign(response.substr(g.begin, g.end - g.begin));
    x.statement_begin = last->begin();
    x.statement_end = last->end();
    x.n_statements = static_cast<int>(strict_.count(response));
    return x;
  }

  Regex strict_;
  Regex choice_;
  Regex true_false_;
  Regex yes_no_;
  Regex valid_invalid_;
  Regex number_;
};

}  // namespace

std::vector<std::unique_ptr<ScoringRule>> make_bbh_rules() {
  std::vector<std::unique_ptr<ScoringRule>> rules;
  rules.push_back(std::make_unique<BbhRule>());
  rules.push_back(std::make_unique<BbhFirstRule>());
  rules.push_back(std::make_unique<BbhLmEvalStrictRule>());
  rules.push_back(std::make_unique<BbhLmEvalFlexibleRule>());
  return rules;
}

}  // namespace caploop
