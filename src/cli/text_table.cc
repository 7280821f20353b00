#include "cli/text_table.h"

#include <algorithm>
#include <cctype>

namespace caploop::cli {

namespace {

size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool looks_numeric(const std::string& s) {
  if (s.empty() || s == "-") return true;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isdigit(c) || c == '.' || c == '-' || c == '+' || c == '%' || c == ' ' || c == 'e';
  });
}

}  // namespace

std::string TextTable::render() const {
  size_t cols = header_.size();
  std::vector<size_t> width(cols, 0);
  std::vector<bool> numeric(cols, true);
  for (size_t c = 0; c < cols; ++c) width[c] = display_width(header_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < cols && c < row.size(); ++c) {
      width[c] = std::max(width[c], display_width(row[c]));
      if (!looks_numeric(row[c])) numeric[c] = false;
    }
  }
  auto line = [&](const std::vector<std::string>& row, bool header) {
    std::string out;
    for (size_t c = 0; c < cols; ++c) {
      std::string cell = c < row.size() ? row[c] : "";
      size_t pad = width[c] - display_width(cell);
      if (c > 0) out += "  ";
      if (numeric[c] && !header) {
        out.append(pad, ' ');
        out += cell;
      } else if (c + 1 < cols) {
        out += cell;
        out.append(pad, ' ');
      } else {
        out += cell;
      }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header_, true);
  size_t total = 0;
  for (size_t c = 0; c < cols; ++c) total += width[c] + (c ? 2 : 0);
  out += std::string(total, '-') + "\n";
  for (const auto& row : rows_) out += line(row, false);
  return out;
}

}  // namespace caploop::cli
