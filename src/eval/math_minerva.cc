#include "eval/math_minerva.h"

#include <algorithm>
#include <array>
#include <utility>

#include "eval/answer_text.h"
#include "eval/regex.h"

namespace caploop {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kSubstitutions = {{
    {"an ", ""},
    {"a ", ""},
    {".$", "$"},
    {"\\$", ""},
    {"\\ ", ""},
    {" ", ""},
    {"mbox", "text"},
    {",\\text{and}", ","},
    {"\\text{and}", ","},
    {"\\text{m}", "\\text{}"},
}};

constexpr std::array<std::string_view, 42> kRemovedExpressions = {
    "square",       "ways",
    "integers",     "dollars",
    "mph",          "inches",
    "ft",           "hours",
    "km",           "units",
    "\\ldots",      "sue",
    "points",       "feet",
    "minutes",      "digits",
    "cents",        "degrees",
    "cm",           "gm",
    "pounds",       "meters",
    "meals",        "edges",
    "students",     "childrentickets",
    "multiples",    "\\text{s}",
    "\\text{.}",    "\\text{\ns}",
    "\\text{}^2",   "\\text{}^3",
    "\\text{\n}",   "\\text{}",
    "\\mathrm{th}", "^\\circ",
    "^{\\circ}",    "\\;",
    ",\\!",         "{,}",
    "\"",           "\\dots",
};

struct MinervaRegexes {
  Regex statement{"Final Answer: The final answer is(.*?). I hope it is correct."};
  Regex math_mode{"(.*?)(\\$)(.*?)(\\$)(.*)"};
  Regex text{"(\\\\text\\{)(.*?)(\\})"};
  Regex textbf{"(\\\\textbf\\{)(.*?)(\\})"};
  Regex overline{"(\\\\overline\\{)(.*?)(\\})"};
  Regex boxed{"(\\\\boxed\\{)(.*)(\\})"};
  Regex frac{"(frac)([^{])(.)"};
  Regex sqrt{"(sqrt)([^{])"};
};

const MinervaRegexes& regexes() {
  static const MinervaRegexes r;
  return r;
}

}  // namespace

MinervaScan minerva_final_answer(std::string_view response) {
  // Python appends "I hope it is correct." before searching, so a statement cut off after its answer
  // still counts; we search the same concatenation and clip spans to the response.
  std::string text(response);
  text += "I hope it is correct.";
  MinervaScan scan;
  scan.count = static_cast<int>(count_occurrences(response, "Final Answer: The final answer is"));
  auto m = regexes().statement.search(text);
  if (!m) return scan;
  Regex::Span g = m->groups[1];
  size_t gb = std::min(g.begin, response.size()), ge = std::min(g.end, response.size());
  std::string_view answer = response.substr(gb, ge - gb);
  answer = trim(answer);
  scan.first = MinervaStatement{answer, m->begin(), std::min(m->end(), response.size())};
  return scan;
}

std::string minerva_normalize_final_answer(std::string_view final_answer) {
  // final_answer.split("=")[-1]
  size_t eq = final_answer.rfind('=');
  std::string s(eq == kNotFound ? final_answer : final_answer.substr(eq + 1));
  for (const auto& [before, after] : kSubstitutions) s = replace_all_literal(s, before, after);
  for (std::string_view expr : kRemovedExpressions) s = replace_all_literal(s, expr, "");

  const MinervaRegexes& r = regexes();
  s = r.math_mode.replace_all(s, "$$$3$$");
  s = r.text.replace_all(s, "$2");
  s = r.textbf.replace_all(s, "$2");
  s = r.overline.replace_all(s, "$2");
  s = r.boxed.replace_all(s, "$2");
  s = r.frac.replace_all(s, "frac{$2}{$3}");
  s = r.sqrt.replace_all(s, "sqrt{$2}");
  s = replace_all_literal(s, "$", "");

  std::string no_commas = replace_all_literal(s, ",", "");
  bool all_digits = !no_commas.empty();
  for (char c : no_commas) {
    if (!is_ascii_digit(c)) all_digits = false;
  }
  if (all_digits) s = std::move(no_commas);
  return s;
}

}  // namespace caploop
