#include "core/loglikelihood_choices.h"

#include <charconv>

namespace caploop {

std::string encode_loglikelihood_choices(const std::vector<LoglikelihoodChoice>& choices) {
  std::string out;
  for (const LoglikelihoodChoice& c : choices) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, c.loglikelihood);
    out.append(buf, ec == std::errc() ? end : buf);
    out += '\t';
    for (char ch : c.choice) {
      if (ch == '\\')
        out += "\\\\";
      else if (ch == '\n')
        out += "\\n";
      else if (ch == '\t')
        out += "\\t";
      else
        out += ch;
    }
    out += '\n';
  }
  return out;
}

std::optional<std::vector<LoglikelihoodChoice>> decode_loglikelihood_choices(std::string_view text) {
  std::vector<LoglikelihoodChoice> out;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    if (eol == std::string_view::npos) return std::nullopt;
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol + 1);
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return std::nullopt;
    LoglikelihoodChoice c;
    auto [end, ec] = std::from_chars(line.data(), line.data() + tab, c.loglikelihood);
    if (ec != std::errc() || end != line.data() + tab) return std::nullopt;
    for (size_t i = tab + 1; i < line.size(); ++i) {
      if (line[i] != '\\') {
        c.choice += line[i];
        continue;
      }
      if (++i == line.size()) return std::nullopt;
      if (line[i] == '\\')
        c.choice += '\\';
      else if (line[i] == 'n')
        c.choice += '\n';
      else if (line[i] == 't')
        c.choice += '\t';
      else
        return std::nullopt;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace caploop
