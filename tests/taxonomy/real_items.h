// Loads real benchmark items from ../shared/data as TaggableItems for the taxonomy tests.
// BBH: task = file name, id = index in the file. MATH: metadata {type, level}, reference = last \boxed{} of
// the solution. GSM8K: reference = the number after "####". AIME/AMC: reference = the answer field.
#pragma once

#include <string>
#include <vector>

#include "taxonomy/taggable_item.h"

namespace caploop::testing {

std::vector<TaggableItem> load_bbh_items();
std::vector<TaggableItem> load_math_test_items();
std::vector<TaggableItem> load_gsm8k_test_items();
std::vector<TaggableItem> load_competition_items(const std::string& folder, const std::string& benchmark);

// The content of the last \boxed{...} in a MATH solution ("" when there is none).
std::string last_boxed(const std::string& solution);

}  // namespace caploop::testing
