// Test helper: the 5,000 MATH test problems (../shared/data/math/math_full_test/test.jsonl) tagged with the
// built-in rules, and the planted weak sets the slice tests use.
#pragma once

#include <string>
#include <vector>

#include "taxonomy/taggable_item.h"

namespace caploop::testing {

struct MathItems {
  std::vector<ItemTags> tags;
  std::vector<std::string> names;   // "math:<idx>"
  std::vector<std::string> types;   // MATH `type`
  std::vector<std::string> levels;  // MATH `level` ("Level 5")
  std::vector<std::string> problems;
};

// Loads and tags every problem once per process (the result is cached).
const MathItems& math_items();

}  // namespace caploop::testing
