#include "eval/math_strip_string.h"

#include <vector>

#include "eval/answer_text.h"

namespace caploop {
namespace {

std::vector<std::string_view> split(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t pos = s.find(sep); pos != kNotFound; pos = s.find(sep, start)) {
    parts.push_back(s.substr(start, pos - start));
    start = pos + sep.size();
  }
  parts.push_back(s.substr(start));
  return parts;
}

// _fix_fracs: "\frac12" -> "\frac{1}{2}", "\frac1{72}" -> "\frac{1}{72}"; raises (nullopt) on a "\frac"
// followed by nothing or by a single character.
std::optional<std::string> fix_fracs(const std::string& s) {
  std::vector<std::string_view> parts = split(s, "\\frac");
  std::string out(parts[0]);
  for (size_t k = 1; k < parts.size(); ++k) {
    std::string_view sub = parts[k];
    out += "\\frac";
    if (sub.empty()) return std::nullopt;  // substr[0] raises IndexError
    if (sub[0] == '{') {
      out += sub;
      continue;
    }
    if (sub.size() < 2) return s;  // the original returns the string unchanged here
    char a = sub[0], b = sub[1];
    if (b != '{') {
      out += '{';
      out += a;
      out += "}{";
      out += b;
      out += '}';
      out += sub.substr(2);
    } else {
      out += '{';
      out += a;
      out += '}';
      out += b;
      out += sub.substr(2);
    }
  }
  return out;
}

// Python int() on a string that str(int) reproduces exactly: an optional "-" and digits without leading
// zeros (the original asserts string == "{}/{}".format(a, b) after int()).
bool is_canonical_int(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_ascii_digit(c)) return false;
  }
  return s.size() == 1 || s[0] != '0' || false;
}

bool is_negative_zero(std::string_view s) { return s == "-0"; }

// _fix_a_slash_b: "3/4" -> "\frac{3}{4}" when both sides are plain integers.
std::string fix_a_slash_b(const std::string& s) {
  std::vector<std::string_view> parts = split(s, "/");
  if (parts.size() != 2) return s;
  if (!is_canonical_int(parts[0]) || !is_canonical_int(parts[1])) return s;
  if (is_negative_zero(parts[0]) || is_negative_zero(parts[1])) return s;  // str(int("-0")) == "0"
  return "\\frac{" + std::string(parts[0]) + "}{" + std::string(parts[1]) + "}";
}

// _remove_right_units: text before "\text{ " (asserting it occurs once).
std::optional<std::string> remove_right_units(const std::string& s) {
  if (s.find("\\text{ ") == kNotFound) return s;
  std::vector<std::string_view> parts = split(s, "\\text{ ");
  if (parts.size() != 2) return std::nullopt;
  return std::string(parts[0]);
}

// _fix_sqrt: "\sqrt3" -> "\sqrt{3}"; raises on "\sqrt" at the very end.
std::optional<std::string> fix_sqrt(const std::string& s) {
  if (s.find("\\sqrt") == kNotFound) return s;
  std::vector<std::string_view> parts = split(s, "\\sqrt");
  std::string out(parts[0]);
  for (size_t k = 1; k < parts.size(); ++k) {
    std::string_view sub = parts[k];
    if (sub.empty()) return std::nullopt;
    if (sub[0] != '{') {
      out += "\\sqrt{";
      out += sub[0];
      out += '}';
      out += sub.substr(1);
    } else {
      out += "\\sqrt";
      out += sub;
    }
  }
  return out;
}

void replace_in_place(std::string& s, std::string_view from, std::string_view to) {
  if (s.find(from) != kNotFound) s = replace_all_literal(s, from, to);
}

}  // namespace

std::optional<std::string> hendrycks_strip_string(std::string_view answer) {
  std::string s(answer);
  replace_in_place(s, "\n", "");      // line breaks
  replace_in_place(s, "\\!", "");     // inverse spaces
  replace_in_place(s, "\\\\", "\\");  // "\\" -> "\"
  replace_in_place(s, "tfrac", "frac");
  replace_in_place(s, "dfrac", "frac");
  replace_in_place(s, "\\left", "");
  replace_in_place(s, "\\right", "");
  replace_in_place(s, "^{\\circ}", "");  // degrees
  replace_in_place(s, "^\\circ", "");
  replace_in_place(s, "\\$", "");  // dollar signs
  std::optional<std::string> units = remove_right_units(s);
  if (!units) return std::nullopt;
  s = std::move(*units);
  replace_in_place(s, "\\%", "");    // percent ("\%" and "\\%" are the same Python literal)
  replace_in_place(s, " .", " 0.");  // " ." == " 0." and "{." == "{0."
  replace_in_place(s, "{.", "{0.");
  if (s.empty()) return s;
  if (s[0] == '.') s = "0" + s;
  // "k = 5" -> "5" when the left of a single "=" is at most two characters.
  std::vector<std::string_view> eq = split(s, "=");
  if (eq.size() == 2 && eq[0].size() <= 2) s = std::string(eq[1]);
  std::optional<std::string> sqrt_fixed = fix_sqrt(s);
  if (!sqrt_fixed) return std::nullopt;
  s = std::move(*sqrt_fixed);
  replace_in_place(s, " ", "");
  std::optional<std::string> frac_fixed = fix_fracs(s);
  if (!frac_fixed) return std::nullopt;
  s = std::move(*frac_fixed);
  if (s == "0.5") s = "\\frac{1}{2}";
  return fix_a_slash_b(s);
}

bool hendrycks_is_equiv(std::string_view a, std::string_view b) {
  std::optional<std::string> sa = hendrycks_strip_string(a);
  std::optional<std::string> sb = hendrycks_strip_string(b);
  if (!sa || !sb) return a == b;
  return *sa == *sb;
}

}  // namespace caploop
