#include "eval/rules_tolerant.h"

#include "eval/answer_text.h"

namespace caploop {

namespace {

constexpr std::string_view kAnswerIs = "answer is";
constexpr std::string_view kOptionsHeader = "Options:";

// The rest of the line after the last "answer is" (any case), or "" when there is none.
std::string_view after_last_answer_is(std::string_view response) {
  const size_t at = rfind_ignore_case(response, kAnswerIs);
  if (at == kNotFound) return {};
  const size_t begin = at + kAnswerIs.size();
  return response.substr(begin, end_of_line(response, begin) - begin);
}

// The option label of a reference "(X)", or 0.
char option_label_of(std::string_view reference) {
  const std::string_view t = trim(reference);
  if (t.size() == 3 && t[0] == '(' && t[2] == ')' && t[1] >= 'A' && t[1] <= 'Z') return t[1];
  return 0;
}

// The brackets of `text`, in order: the comparable form of answers made only of brackets (Dyck sequences),
// whose tolerant form is empty.
std::string brackets_of(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("()[]{}<>").find(c) != std::string_view::npos) out.push_back(c);
  }
  return out;
}

bool matches(std::string_view raw_candidate, std::string_view reference, const std::vector<AnswerOption>& options) {
  if (tolerant_form(reference).empty()) {
    const std::string wanted = brackets_of(reference);
    return !wanted.empty() && brackets_of(raw_candidate) == wanted;
  }
  const std::string candidate = tolerant_form(raw_candidate);
  if (candidate.empty()) return false;
  if (candidate == tolerant_form(reference)) return true;
  if (const char label = option_label_of(reference)) {
    for (const AnswerOption& o : options) {
      if (o.label == label) return candidate == tolerant_form(o.text);
    }
    return false;
  }
  const std::string wanted = tolerant_form(reference);
  for (const AnswerOption& o : options) {
    if (tolerant_form(o.text) == wanted && candidate.size() == 1 && candidate[0] == to_lower_ascii(o.label)) {
      return true;
    }
  }
  return false;
}

// The tolerant rule's extraction: the rest of the line after the last "answer is", else the whole response,
// in tolerant form (or, for references made only of brackets, its brackets).
Extraction extract_tolerant(std::string_view response, bool brackets_only) {
  Extraction x;
  x.n_statements = static_cast<int>(count_occurrences_ignore_case(response, kAnswerIs));
  const size_t at = rfind_ignore_case(response, kAnswerIs);
  const size_t begin = at == kNotFound ? 0 : at + kAnswerIs.size();
  const size_t end = at == kNotFound ? response.size() : end_of_line(response, begin);
  const std::string_view stated = response.substr(begin, end - begin);
  x.answer = brackets_only ? brackets_of(stated) : tolerant_form(stated);
  x.found = !x.answer.empty();
  if (x.found) {
    x.statement_begin = at == kNotFound ? 0 : at;
    x.statement_end = end;
  }
  return x;
}

class TolerantRule : public ScoringRule {
 public:
  std::string_view name() const override { return "tolerant"; }
  int version() const override { return 1; }
  std::string_view description() const override {
    return "Normalisation-tolerant rule: the answer is the rest of the line after the LAST \"answer is\" "
           "(any case), else the whole response; letters are lower-cased and every byte that is not an ASCII "
           "letter or digit (brackets, punctuation, white space) removed, in the answer and the reference; "
           "they must be equal and non-empty. A reference made only of brackets (Dyck sequences) compares by "
           "its brackets alone. Used to see whether an answer is right but written in another form; the "
           "diagnosis also matches an option letter against the option's text.";
  }
  Extraction extract(std::string_view response) const override { return extract_tolerant(response, false); }
  Extraction extract_for_reference(std::string_view response, std::string_view reference) const override {
    return extract_tolerant(response, tolerant_form(reference).empty());
  }
  bool judge(std::string_view a, std::string_view ref) const override {
    const std::string wanted = tolerant_form(ref).empty() ? brackets_of(ref) : tolerant_form(ref);
    return !a.empty() && a == wanted;
  }
};

}  // namespace

std::string tolerant_form(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (is_ascii_alnum(c)) out.push_back(to_lower_ascii(c));
  }
  return out;
}

std::vector<AnswerOption> answer_options_of(std::string_view prompt) {
  std::vector<AnswerOption> out;
  const size_t header = prompt.rfind(kOptionsHeader);
  if (header == kNotFound) return out;
  size_t pos = end_of_line(prompt, header);
  while (pos < prompt.size()) {
    const size_t begin = pos + 1;
    const size_t end = end_of_line(prompt, begin);
    const std::string_view line = trim(prompt.substr(begin, end - begin));
    if (line.size() < 3 || line[0] != '(' || line[2] != ')' || line[1] < 'A' || line[1] > 'Z') break;
    out.push_back(AnswerOption{line[1], std::string(trim(line.substr(3)))});
    pos = end;
  }
  return out;
}

bool tolerant_correct(std::string_view response, std::string_view reference, const Extraction& reference_extraction,
                      const std::vector<AnswerOption>& options) {
  if (reference_extraction.found && matches(reference_extraction.answer, reference, options)) return true;
  const std::string_view stated = after_last_answer_is(response);
  return !stated.empty() && matches(stated, reference, options);
}

std::vector<std::unique_ptr<ScoringRule>> make_tolerant_rules() {
  std::vector<std::unique_ptr<ScoringRule>> out;
  out.push_back(std::make_unique<TolerantRule>());
  return out;
}

}  // namespace caploop
