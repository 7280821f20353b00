#include "eval/rules_lm_eval.h"

#include "core/loglikelihood_choices.h"
#include "eval/answer_text.h"
#include "eval/math_boxed.h"
#include "eval/math_strip_string.h"
#include "eval/regex.h"

namespace caploop {
namespace {

// exact_match's regexes_to_ignore of lm-eval's gsm8k task, then lower case.
std::string gsm8k_exact_match_form(std::string_view s) {
  static const Regex kComma(",");
  static const Regex kDollar("\\$");
  static const Regex kReasoning("(?s).*#### ");
  static const Regex kFinalPeriod("\\.$");
  std::string out(s);
  for (const Regex* r : {&kComma, &kDollar, &kReasoning, &kFinalPeriod}) out = r->replace_all(out, "");
  return lower_ascii(out);
}

// One regex filter of an lm-eval gsm8k task (take the first or the last match) and the task's exact_match.
struct Gsm8kFilter {
  std::string_view name;
  std::string_view pattern;
  bool last;  // group_select -1
  std::string_view harness_metric;
  std::string_view description;
};

class Gsm8kLmEvalRule : public ScoringRule {
 public:
  explicit Gsm8kLmEvalRule(const Gsm8kFilter& f) : filter_(f), regex_(f.pattern) {}
  std::string_view name() const override { return filter_.name; }
  int version() const override { return 1; }
  std::string_view harness_metric() const override { return filter_.harness_metric; }
  std::string_view description() const override { return filter_.description; }
  Extraction extract(std::string_view response) const override {
    Extraction x;
    std::vector<Regex::Match> all = regex_.find_all(response);
    x.n_statements = static_cast<int>(all.size());
    if (all.empty()) return x;
    const Regex::Match& m = filter_.last ? all.back() : all.front();
    Regex::Span g = m.first_participating_group();
    x.found = true;
    x.answer = std::string(trim(response.substr(g.begin, g.end - g.begin)));
    x.statement_begin = m.begin();
    x.statement_end = m.end();
    return x;
  }
  bool judge(std::string_view a, std::string_view ref) const override {
    return gsm8k_exact_match_form(a) == gsm8k_exact_match_form(ref);
  }

 private:
  Gsm8kFilter filter_;
  Regex regex_;
};

constexpr Gsm8kFilter kGsm8kFilters[] = {
    {"gsm8k-lm-eval-strict", "#### (\\-?[0-9\\.\\,]+)", false, "exact_match,strict-match",
     "lm-evaluation-harness gsm8k \"strict-match\": the FIRST match of \"#### (\\-?[0-9\\.\\,]+)\", compared with the "
     "target by the task's exact_match (\",\", \"$\", everything up to \"#### \" and a final \".\" removed from both, "
     "case ignored)."},
    {"gsm8k-cot-lm-eval-strict", "The answer is (\\-?[0-9\\.\\,]+).", false, "exact_match,strict-match",
     "lm-evaluation-harness gsm8k_cot \"strict-match\": the FIRST match of \"The answer is (\\-?[0-9\\.\\,]+).\", "
     "compared by the task's exact_match (as gsm8k-lm-eval-strict)."},
    {"gsm8k-lm-eval-flexible", "(-?[$0-9.,]{2,})|(-?[0-9]+)", true, "exact_match,flexible-extract",
     "lm-evaluation-harness gsm8k and gsm8k_cot \"flexible-extract\": the LAST match of "
     "\"(-?[$0-9.,]{2,})|(-?[0-9]+)\" (its first non-empty group), compared by the task's exact_match (\",\", "
     "\"$\", everything up to \"#### \" and a final \".\" removed from both, case ignored)."},
};

class MathDollarRule : public ScoringRule {
 public:
  explicit MathDollarRule(bool boxed_wins) : boxed_wins_(boxed_wins) {}
  std::string_view name() const override { return boxed_wins_ ? "math-aime" : "math-dollar"; }
  int version() const override { return 1; }
  std::string_view harness_metric() const override { return "exact_match,none"; }
  std::string_view description() const override {
    if (boxed_wins_) {
      return "lm-evaluation-harness aime24/aime25: the content of the last \\boxed{} when there is one, else "
             "the text between the first and the last \"$\" (the whole response when it has fewer than two), "
             "compared with the target by Hendrycks' is_equiv (strip_string on both, then equal strings).";
    }
    return "lm-evaluation-harness hendrycks_math: the text between the first and the last \"$\" (the whole "
           "response when it has fewer than two), compared with the target by Hendrycks' is_equiv "
           "(strip_string on both, then equal strings).";
  }
  Extraction extract(std::string_view response) const override {
    Extraction x;
    x.found = true;
    size_t first = response.find('$');
    size_t last = response.rfind('$');
    x.n_statements = first != last ? 1 : 0;
    if (first == std::string_view::npos || first == last) {
      x.answer = std::string(response);
      x.statement_end = response.size();
    } else {
      x.answer = std::string(response.substr(first + 1, last - first - 1));
      x.statement_begin = first;
      x.statement_end = last + 1;
    }
    if (boxed_wins_) {
      BoxScan boxes = scan_boxes(response);
      if (boxes.last) {
        x.answer = std::string(boxes.last->content);
        x.statement_begin = boxes.last->begin;
        x.statement_end = boxes.last->end;
        x.n_statements = boxes.count;
      }
    }
    return x;
  }
  bool judge(std::string_view a, std::string_view ref) const override { return hendrycks_is_equiv(a, ref); }

 private:
  bool boxed_wins_;
};

size_t utf8_code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// The index of the gold choice: the reference as an index when it is one (lm-eval writes an integer target
// as its text), else the choice equal to it; -1 when neither.
int gold_index(std::string_view reference, const std::vector<LoglikelihoodChoice>& choices) {
  std::string_view ref = trim(reference);
  bool digits = !ref.empty() && ref.size() < 9;
  for (char c : ref) digits = digits && is_ascii_digit(c);
  if (digits) {
    int index = std::stoi(std::string(ref));
    if (index < static_cast<int>(choices.size())) return index;
  }
  for (size_t i = 0; i < choices.size(); ++i) {
    if (choices[i].choice == reference || trim(choices[i].choice) == ref) return static_cast<int>(i);
  }
  return -1;
}

class LoglikelihoodChoiceRule : public ScoringRule {
 public:
  explicit LoglikelihoodChoiceRule(bool normalised) : normalised_(normalised) {}
  std::string_view name() const override { return normalised_ ? "mc-loglikelihood-norm" : "mc-loglikelihood"; }
  int version() const override { return 1; }
  std::string_view harness_metric() const override { return normalised_ ? "acc_norm,none" : "acc,none"; }
  std::string_view description() const override {
    if (normalised_) {
      return "Multiple choice by log-likelihood, length-normalised (lm-eval's acc_norm): the choice whose "
             "log-likelihood divided by its length in characters is highest (ties: the earlier choice) must "
             "be the target, given as a choice index or as the choice's text.";
    }
    return "Multiple choice by log-likelihood (lm-eval's acc): the choice with the highest log-likelihood "
           "(ties: the earlier choice) must be the target, given as a choice index or as the choice's text.";
  }
  Extraction extract(std::string_view response) const override {
    Extraction x;
    x.found = !trim(response).empty();
    x.answer = std::string(trim(response));
    x.statement_end = response.size();
    x.n_statements = x.found ? 1 : 0;
    return x;
  }
  bool judge(std::string_view a, std::string_view ref) const override { return a == trim(ref); }
  bool reads_harness_values() const override { return true; }
  Score score_evidence(const ResponseEvidence& r) const override {
    const std::string* encoded = r.filtered_value(kLoglikelihoodsFilter);
    auto choices = encoded ? decode_loglikelihood_choices(*encoded) : std::nullopt;
    if (!choices || choices->empty()) return score(r.text, r.reference);
    size_t best = 0;
    double best_value = 0;
    for (size_t i = 0; i < choices->size(); ++i) {
      const LoglikelihoodChoice& c = (*choices)[i];
      double value = c.loglikelihood;
      if (normalised_) value /= static_cast<double>(std::max<size_t>(1, utf8_code_points(c.choice)));
      if (i == 0 || value > best_value) {
        best = i;
        best_value = value;
      }
    }
    Score s;
    s.extraction.found = true;
    s.extraction.answer = (*choices)[best].choice;
    s.extraction.n_statements = 1;
    s.extraction.statement_end = r.text.size();
    s.correct = gold_index(r.reference, *choices) == static_cast<int>(best);
    return s;
  }

 private:
  bool normalised_;
};

}  // namespace

std::vector<std::unique_ptr<ScoringRule>> make_lm_eval_rules() {
  std::vector<std::unique_ptr<ScoringRule>> rules;
  for (const Gsm8kFilter& f : kGsm8kFilters) rules.push_back(std::make_unique<Gsm8kLmEvalRule>(f));
  rules.push_back(std::make_unique<MathDollarRule>(false));
  rules.push_back(std::make_unique<MathDollarRule>(true));
  rules.push_back(std::make_unique<LoglikelihoodChoiceRule>(false));
  rules.push_back(std::make_unique<LoglikelihoodChoiceRule>(true));
  return rules;
}

}  // namespace caploop
