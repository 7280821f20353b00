#include "eval/rules_gsm8k.h"

#include <algorithm>

#include "eval/answer_number.h"
#include "eval/answer_text.h"

namespace caploop {
namespace {

struct Statement {
  size_t begin = 0;    // where the marker starts
  NumberToken number;  // the number it states
};

// The number right after a marker ending at `after` (white space, ":" and "$" may come first).
std::optional<NumberToken> number_after(std::string_view text, size_t after) {
  size_t i = after;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ':')) ++i;
  return number_token_at(text, i);
}

// The number of an "ANSWER:" line, also when boxed as EvalScope's gsm8k prompt asks: "ANSWER: $\boxed{3}$".
std::optional<NumberToken> answer_line_number(std::string_view text, size_t after) {
  if (auto n = number_after(text, after)) return n;
  size_t i = after;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i < text.size() && text[i] == '$') ++i;
  constexpr std::string_view kBoxed = "\\boxed{";
  if (text.substr(i, kBoxed.size()) != kBoxed) return std::nullopt;
  std::optional<NumberToken> n = number_token_at(text, i + kBoxed.size());
  if (!n || n->end >= text.size() || text[n->end] != '}') return std::nullopt;
  return n;
}

bool at_line_start(std::string_view text, size_t pos) {
  size_t i = pos;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
  return i == 0 || text[i - 1] == '\n';
}

// Every answer statement, in text order: "#### N", "the answer is N" (any case), and lines "A: N" or
// "ANSWER: N" (the form Inspect AI's gsm8k task asks for; EvalScope's boxes it: "ANSWER: $\boxed{N}$"), and
// "\boxed{N}" anywhere.
std::vector<Statement> find_statements(std::string_view text) {
  std::vector<Statement> out;
  constexpr std::string_view kHashes = "####";
  constexpr std::string_view kAnswerIs = "the answer is";
  constexpr std::string_view kA = "A:";
  constexpr std::string_view kAnswerLine = "ANSWER:";
  for (size_t pos = text.find(kHashes); pos != kNotFound; pos = text.find(kHashes, pos + kHashes.size())) {
    if (auto n = number_after(text, pos + kHashes.size())) out.push_back({pos, *n});
  }
  for (size_t pos = find_ignore_case(text, kAnswerIs); pos != kNotFound;
       pos = find_ignore_case(text, kAnswerIs, pos + kAnswerIs.size())) {
    if (auto n = number_after(text, pos + kAnswerIs.size())) out.push_back({pos, *n});
  }
  for (size_t pos = text.find(kA); pos != kNotFound; pos = text.find(kA, pos + kA.size())) {
    if (!at_line_start(text, pos)) continue;
    if (auto n = number_after(text, pos + kA.size())) out.push_back({pos, *n});
  }
  for (size_t pos = text.find(kAnswerLine); pos != kNotFound; pos = text.find(kAnswerLine, pos + kAnswerLine.size())) {
    if (!at_line_start(text, pos)) continue;
    if (auto n = answer_line_number(text, pos + kAnswerLine.size())) out.push_back({pos, *n});
  }
  // "\boxed{N}" anywhere (models answering EvalScope's or a math-style prompt: "Final Answer: $\boxed{45}$"); one
  // on an "ANSWER:" line is that line's statement already.
  constexpr std::string_view kBoxed = "\\boxed{";
  for (size_t pos = text.find(kBoxed); pos != kNotFound; pos = text.find(kBoxed, pos + kBoxed.size())) {
    std::optional<NumberToken> n = number_token_at(text, pos + kBoxed.size());
    if (!n || n->end >= text.size() || text[n->end] != '}') continue;
    bool on_answer_line =
        std::any_of(out.begin(), out.end(), [&](const Statement& s) { return s.number.end == n->end; });
    if (!on_answer_line) out.push_back({pos, *n});
  }
  std::sort(out.begin(), out.end(), [](const Statement& a, const Statement& b) { return a.begin < b.begin; });
  return out;
}

Extraction extract_statement(std::string_view text) {
  Extraction x;
  std::vector<Statement> all = find_statements(text);
  x.n_statements = static_cast<int>(all.size());
  if (all.empty()) return x;
  const Statement& first = all.front();
  x.found = true;
  x.answer = format_number(first.number.value);
  x.statement_begin = first.begin;
  x.statement_end = first.number.end;
  return x;
}

bool judge_number(std::string_view answer, std::string_view reference) {
  auto a = parse_plain_number(answer);
  auto r = gsm8k_reference_value(reference);
  return a && r && numbers_close(*a, *r);
}

class Gsm8kRule : public ScoringRule {
 public:
  std::string_view name() const override { return "gsm8k"; }
  int version() const override { return 2; }
  std::string_view description() const override {
    return "GSM8K: the FIRST answer statement, which is \"#### N\", \"The answer is N\" (any case), a "
           "line \"A: N\" (the format of OpenAI's example model solutions) or a line \"ANSWER: N\" (Inspect "
           "AI's gsm8k prompt; also \"ANSWER: $\\boxed{N}$\" as EvalScope's asks) or \"\\boxed{N}\" anywhere; N may "
           "carry a sign, \"$\", "
           "thousands commas and decimals. No statement means no answer (no fall-back to stray numbers). "
           "The reference is read the same way (\"... #### 18\" -> 18) or as a bare number; the two compare "
           "numerically (18 == 18.0 == 18.00, relative tolerance 1e-9).";
  }
  Extraction extract(std::string_view response) const override { return extract_statement(response); }
  bool judge(std::string_view a, std::string_view ref) const override { return judge_number(a, ref); }
};

class Gsm8kLenientRule : public ScoringRule {
 public:
  std::string_view name() const override { return "gsm8k-lenient"; }
  int version() const override { return 1; }
  std::string_view description() const override {
    return "GSM8K, lenient: the LAST number anywhere in the response (sign, \"$\", thousands commas and "
           "decimals allowed), compared numerically with the reference as in \"gsm8k\". n_statements counts "
           "the \"gsm8k\" answer statements, so running on can still be detected.";
  }
  Extraction extract(std::string_view response) const override {
    Extraction x;
    x.n_statements = static_cast<int>(find_statements(response).size());
    auto last = find_last_number(response);
    if (!last) return x;
    x.found = true;
    x.answer = format_number(last->value);
    x.statement_begin = last->begin;
    x.statement_end = last->end;
    return x;
  }
  bool judge(std::string_view a, std::string_view ref) const override { return judge_number(a, ref); }
};

}  // namespace

std::optional<double> gsm8k_reference_value(std::string_view reference) {
  std::vector<Statement> all = find_statements(reference);
  if (!all.empty()) return all.back().number.value;
  return parse_plain_number(reference);
}

std::vector<std::unique_ptr<ScoringRule>> make_gsm8k_rules() {
  std::vector<std::unique_ptr<ScoringRule>> rules;
  rules.push_back(std::make_unique<Gsm8kRule>());
  rules.push_back(std::make_unique<Gsm8kLenientRule>());
  return rules;
}

}  // namespace caploop
