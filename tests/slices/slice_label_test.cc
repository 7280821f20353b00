#include "slices/slice_label.h"

#include <gtest/gtest.h>

#include "slices/slice_lattice.h"

namespace caploop {
namespace {

TEST(SliceLabelTest, JoinsTagsWithAmpersandInTheOrderGiven) {
  EXPECT_EQ(slice_label({"operation=counting", "level=5"}), "operation=counting & level=5");
  EXPECT_EQ(slice_label({"level=5", "operation=counting"}), "level=5 & operation=counting");
  EXPECT_EQ(slice_label({"task=bbh/navigate"}), "task=bbh/navigate");
  EXPECT_EQ(slice_label({}), "");
  EXPECT_EQ(slice_label({"a=<b>", "c=\"d\""}), "a=<b> & c=\"d\"");  // not escaped here
}

TEST(SliceLabelTest, ASliceKeyReadsAsItsTagsLabel) {
  SliceKey key;
  key.conditions = {{"background", "everyday_scenario"}, {"operation", "logic.deduction"}};
  EXPECT_EQ(key.to_string(), "background=everyday_scenario & operation=logic.deduction");
  EXPECT_EQ(key.to_string(), slice_label(key.tags()));
}

}  // namespace
}  // namespace caploop
