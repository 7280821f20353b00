// One colour convention for how generations ended, shared by every HTML page (diagnose --html, report, the
// loop report), so "ran on" is the same red everywhere.
//
// ending_styles() lists the endings of eval/ending.h in display order (stopped, truncated, ran_on,
// degenerate_repetition, no_answer) with a short label and a colour; ending_color() returns the colour of an
// ending name (an unknown name, e.g. an aggregate "abnormal", gets kOtherEndingColor). svg_ending_bars()
// draws one stacked bar per run (label, counts by ending name) in that order and those colours; endings not
// in the list come last, in name order. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caploop {

struct EndingStyle {
  std::string_view name;   // "ran_on"
  std::string_view label;  // "ran on"
  std::string_view color;  // "#c62828"
};

constexpr std::string_view kOtherEndingColor = "#9e9e9e";

const std::vector<EndingStyle>& ending_styles();
std::string_view ending_color(std::string_view name);
std::string svg_ending_bars(const std::string& title,
                            const std::vector<std::pair<std::string, std::map<std::string, int64_t>>>& runs);

}  // namespace caploop
