#include "eval/rules_exact.h"

#include <string>

#include "eval/answer_text.h"

namespace caploop {
namespace {

Extraction whole_response(std::string_view response, std::string answer) {
  Extraction x;
  std::string_view t = trim(response);
  if (answer.empty()) return x;
  x.found = true;
  x.answer = std::move(answer);
  x.statement_begin = static_cast<size_t>(t.data() - response.data());
  x.statement_end = x.statement_begin + t.size();
  x.n_statements = 1;
  return x;
}

class ExactRule : public ScoringRule {
 public:
  std::string_view name() const override { return "exact"; }
  int version() const override { return 1; }
  std::string_view description() const override {
    return "Exact match: the whole response with white space stripped at both ends must equal the "
           "reference stripped the same way, byte for byte.";
  }
  Extraction extract(std::string_view response) const override {
    return whole_response(response, std::string(trim(response)));
  }
  bool judge(std::string_view a, std::string_view ref) const override { return a == trim(ref); }
};

class ExactCaseInsensitiveRule : public ScoringRule {
 public:
  std::string_view name() const override { return "exact-ci"; }
  int version() const override { return 1; }
  std::string_view description() const override {
    return "Loose exact match: response and reference are lower-cased (ASCII), stripped of white space "
           "and ASCII punctuation at both ends, and inner runs of white space become one space; then they "
           "must be equal.";
  }
  Extraction extract(std::string_view response) const override {
    return whole_response(response, fold_for_loose_compare(response));
  }
  bool judge(std::string_view a, std::string_view ref) const override { return a == fold_for_loose_compare(ref); }
};

}  // namespace

std::vector<std::unique_ptr<ScoringRule>> make_exact_rules() {
  std::vector<std::unique_ptr<ScoringRule>> rules;
  rules.push_back(std::make_unique<ExactRule>());
  rules.push_back(std::make_unique<ExactCaseInsensitiveRule>());
  return rules;
}

}  // namespace caploop
