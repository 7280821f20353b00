// slice_label: how a capability slice is named to people: its tags ("operation=counting", "level=5") joined by
// " & ", in the order given. Terminal summaries, Markdown, HTML pages and the loop's notes all name a slice
// this way, so one slice reads the same everywhere.
//
// Contract: pure; no escaping (HTML and Markdown writers escape the label as any other text); no tags give "".
#pragma once

#include <string>
#include <vector>

namespace caploop {

std::string slice_label(const std::vector<std::string>& tags);

}  // namespace caploop
