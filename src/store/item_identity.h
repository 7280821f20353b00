// Item identity by content: decides whether an item arriving with a (benchmark, task, source_id) that the
// workspace already holds is the same item, when content hashes cannot decide (one side has none).
//
// Contract: content is compared after normalising white space (runs of white space become one space, ends
// trimmed); a text that is a JSON array or object (a chat prompt kept as JSON) is compared by its string values
// joined with spaces. Two contents are the same item when, normalised, they are equal or one contains the other
// (a run's full few-shot prompt contains the item's own question); an empty content cannot decide, and counts
// as the same. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace caploop {

// The text compared: white space normalised, JSON prompts reduced to their string values.
std::string normalized_item_content(std::string_view text);

// True unless both contents are non-empty and neither (normalised) contains the other.
bool same_item_content(std::string_view stored, std::string_view incoming);

}  // namespace caploop
