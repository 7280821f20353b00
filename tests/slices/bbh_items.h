// Test helper: the 6,511 BBH items with the real chain-of-thought outputs of code-davinci-002
// (../shared/data/bbh/code-davinci-002-outputs/code-davinci-002-cot), tagged with the built-in rules and scored
// as the published accuracies were computed (the text after the last "So the answer is ", white space and one
// trailing "." stripped, compared exactly with the target).
#pragma once

#include <string>
#include <vector>

#include "taxonomy/taggable_item.h"

namespace caploop::testing {

struct BbhItems {
  std::vector<ItemTags> tags;
  std::vector<std::string> names;  // "<task>:<index in the file>"
  std::vector<std::string> tasks;
  std::vector<bool> correct;  // code-davinci-002 CoT
};

// Loads, tags and scores every item once per process (the result is cached); tasks in file-name order.
const BbhItems& bbh_items();

}  // namespace caploop::testing
