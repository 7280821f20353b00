#include "report/ending_colors.h"

#include <algorithm>
#include <set>

#include "report/svg_charts.h"

namespace caploop {

const std::vector<EndingStyle>& ending_styles() {
  static const std::vector<EndingStyle> styles = {
      {"stopped", "stopped", "#2e7d32"},     {"truncated", "truncated", "#ef6c00"},
      {"ran_on", "ran on", "#c62828"},       {"degenerate_repetition", "repetition", "#6a1b9a"},
      {"no_answer", "no answer", "#546e7a"},
  };
  return styles;
}

std::string_view ending_color(std::string_view name) {
  for (const EndingStyle& s : ending_styles()) {
    if (s.name == name) return s.color;
  }
  return kOtherEndingColor;
}

std::string svg_ending_bars(const std::string& title,
                            const std::vector<std::pair<std::string, std::map<std::string, int64_t>>>& runs) {
  std::vector<std::string> names, labels, colors;
  for (const EndingStyle& s : ending_styles()) {
    names.emplace_back(s.name);
    labels.emplace_back(s.label);
    colors.emplace_back(s.color);
  }
  std::set<std::string> others;
  for (const auto& [run, counts] : runs) {
    for (const auto& [name, n] : counts) {
      if (std::find(names.begin(), names.end(), name) == names.end()) others.insert(name);
    }
  }
  for (const std::string& o : others) {
    names.push_back(o);
    labels.push_back(o);
    colors.emplace_back(kOtherEndingColor);
  }
  std::vector<StackedBar> bars;
  for (const auto& [run, counts] : runs) {
    StackedBar bar{run, {}};
    for (const std::string& name : names) {
      auto it = counts.find(name);
      bar.parts.push_back(it == counts.end() ? 0.0 : static_cast<double>(it->second));
    }
    bars.push_back(std::move(bar));
  }
  return svg_stacked_bars(title, labels, bars, colors);
}

}  // namespace caploop
