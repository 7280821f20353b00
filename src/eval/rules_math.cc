#include "eval/rules_math.h"

#include "eval/answer_text.h"
#include "eval/math_boxed.h"
#include "eval/math_equivalence.h"
#include "eval/math_minerva.h"
#include "eval/math_strip_string.h"

namespace caploop {
namespace {

std::string hendrycks_normalised(std::string_view raw) {
  std::optional<std::string> stripped = hendrycks_strip_string(raw);
  return stripped ? *stripped : std::string(raw);
}

Extraction extract_boxed(std::string_view response, bool use_first) {
  Extraction x;
  BoxScan scan = scan_boxes(response);
  x.n_statements = scan.count;
  const std::optional<BoxedAnswer>& box = use_first ? scan.first : scan.last;
  if (!box) return x;
  x.found = true;
  x.answer = hendrycks_normalised(box->content);
  x.statement_begin = box->begin;
  x.statement_end = box->end;
  return x;
}

bool judge_hendrycks(std::string_view answer, std::string_view reference) {
  std::string_view ref_raw = math_reference_answer(reference);
  std::string ref = hendrycks_normalised(ref_raw);
  if (answer == ref || answer == ref_raw) return true;
  return math_answers_equivalent(answer, ref);
}

class MathRule : public ScoringRule {
 public:
  MathRule(std::string_view name, bool use_first) : name_(name), use_first_(use_first) {}
  std::string_view name() const override { return name_; }
  int version() const override { return 1; }
  std::string_view description() const override {
    if (use_first_) {
      return "Like \"math\" but takes the FIRST \\boxed{} (or \\fbox{}) in the response: judges a model "
             "that runs on past its boxed answer by what it answered first.";
    }
    return "MATH-style answers: the content of the LAST complete \\boxed{...} or \\fbox{...} (nested braces "
           "matched; \"\\boxed 5\" also accepted), normalised with Hendrycks et al.'s strip_string from the "
           "MATH repository (\\left/\\right, \\!, degrees, \\$, \\%, units after \"\\text{ \", "
           "tfrac/dfrac->frac, \\frac12 and \\sqrt3 shorthand, \"0.5\"->\\frac{1}{2}, \"a/b\"->\\frac{a}{b}, "
           "\"x=\" prefixes of at most two characters, spaces). Equal strings match; otherwise numbers "
           "(integers, decimals, \\frac{a}{b}, a/b, thousands commas) compare within a relative 1e-6, and "
           "tuples, intervals and sets element-wise. The reference may be a bare answer or a full solution "
           "(its last box is used).";
  }
  Extraction extract(std::string_view response) const override { return extract_boxed(response, use_first_); }
  bool judge(std::string_view a, std::string_view ref) const override { return judge_hendrycks(a, ref); }

 private:
  std::string_view name_;
  bool use_first_;
};

class MathMinervaRule : public ScoringRule {
 public:
  std::string_view name() const override { return "math-minerva"; }
  int version() const override { return 1; }
  std::string_view harness_metric() const override { return "exact_match,none"; }
  std::string_view description() const override {
    return "Minerva (Lewkowycz et al. 2022) answers: X from the first \"Final Answer: The final answer is "
           "X. I hope it is correct.\" (lm-eval minerva_math's regex), normalised with normalize_final_answer "
           "(text after the last \"=\", the SUBSTITUTIONS and REMOVED_EXPRESSIONS lists, math-mode, \\text, "
           "\\textbf, \\overline and \\boxed unwrapping, \\frac/\\sqrt shorthand, \"$\" removal, 100,000 -> "
           "100000). When a response has no such statement, its last \\boxed{} is normalised instead (a "
           "caploop addition: lm-eval would score it 0). The reference's last \\boxed{} (or the whole "
           "reference) is normalised the same way. Equal strings match; numbers, tuples and sets compare as "
           "in \"math\" (standing in for lm-eval's sympy equivalence, which is not reproduced).";
  }
  Extraction extract(std::string_view response) const override {
    Extraction x;
    MinervaScan scan = minerva_final_answer(response);
    if (scan.first) {
      x.found = true;
      x.n_statements = scan.count;
      x.answer = minerva_normalize_final_answer(scan.first->answer);
      x.statement_begin = scan.first->begin;
      x.statement_end = scan.first->end;
      return x;
    }
    BoxScan boxes = scan_boxes(response);
    x.n_statements = boxes.count;
    if (!boxes.last) return x;
    x.found = true;
    x.answer = minerva_normalize_final_answer(boxes.last->content);
    x.statement_begin = boxes.last->begin;
    x.statement_end = boxes.last->end;
    return x;
  }
  bool judge(std::string_view a, std::string_view ref) const override {
    std::string normalised_ref = minerva_normalize_final_answer(math_reference_answer(ref));
    return a == normalised_ref || math_answers_equivalent(a, normalised_ref);
  }
};

}  // namespace

std::string_view math_reference_answer(std::string_view reference) {
  BoxScan scan = scan_boxes(reference);
  if (scan.last) return scan.last->content;
  return trim(reference);
}

std::vector<std::unique_ptr<ScoringRule>> make_math_rules() {
  std::vector<std::unique_ptr<ScoringRule>> rules;
  rules.push_back(std::make_unique<MathRule>("math", false));
  rules.push_back(std::make_unique<MathRule>("math-first", true));
  rules.push_back(std::make_unique<MathMinervaRule>());
  return rules;
}

}  // namespace caploop
