// Slice enumeration on small hand-made tag sets: hierarchy, minimum support, order, redundancy and ordering.
#include "slices/slice_lattice.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace caploop {
namespace {

ItemTags make(std::vector<std::string> operations, std::string background, std::string task_name,
              std::string level = "") {
  ItemTags t;
  for (auto& op : operations) t.add(Axis::kOperation, std::move(op));
  if (!background.empty()) t.add(Axis::kBackground, std::move(background));
  t.dims["benchmark"] = "bench";
  t.dims["task"] = std::move(task_name);
  if (!level.empty()) t.dims["level"] = std::move(level);
  return t;
}

const Slice* find(const std::vector<Slice>& slices, const std::string& key) {
  for (const Slice& s : slices) {
    if (s.key.to_string() == key) return &s;
  }
  return nullptr;
}

// Ten items: four multi-step arithmetic, three percentages (two also counting), three logic; two task names.
std::vector<ItemTags> sample_items() {
  return {
      make({"arithmetic.multi_step"}, "everyday_scenario", "a", "1"),
      make({"arithmetic.multi_step"}, "everyday_scenario", "a", "2"),
      make({"arithmetic.multi_step"}, "scientific", "a", "1"),
      make({"arithmetic.multi_step"}, "scientific", "b", "2"),
      make({"arithmetic.percentages", "counting.case_enumeration"}, "everyday_scenario", "b", "1"),
      make({"arithmetic.percentages", "counting.case_enumeration"}, "everyday_scenario", "b", "2"),
      make({"arithmetic.percentages"}, "scientific", "b", "1"),
      make({"logic.deduction"}, "everyday_scenario", "a", "2"),
      make({"logic.deduction"}, "everyday_scenario", "b", "1"),
      make({"logic.deduction"}, "scientific", "b", "2"),
  };
}

TEST(SliceLatticeTest, AxisValuesMatchHierarchicallyIncludingAncestors) {
  const std::vector<ItemTags> items = sample_items();
  LatticeOptions options;
  options.max_order = 1;
  options.min_support = 1;
  const std::vector<Slice> slices = enumerate_slices(items, options);
  const Slice* arithmetic = find(slices, "operation=arithmetic");
  ASSERT_NE(arithmetic, nullptr);
  EXPECT_EQ(arithmetic->items, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6}));
  const Slice* percentages = find(slices, "operation=arithmetic.percentages");
  ASSERT_NE(percentages, nullptr);
  EXPECT_EQ(percentages->items, (std::vector<uint32_t>{4, 5, 6}));
  // `counting` and `counting.case_enumeration` have the same two items: only the specific value is kept.
  EXPECT_EQ(find(slices, "operation=counting"), nullptr);
  ASSERT_NE(find(slices, "operation=counting.case_enumeration"), nullptr);
  // The benchmark's task name is the key `task_name`.
  const Slice* task_b = find(slices, "task_name=b");
  ASSERT_NE(task_b, nullptr);
  EXPECT_EQ(task_b->items, (std::vector<uint32_t>{3, 4, 5, 6, 8, 9}));
  for (const Slice& s : slices) {
    for (uint32_t i = 0; i < items.size(); ++i) {
      const bool member = std::binary_search(s.items.begin(), s.items.end(), i);
      EXPECT_EQ(member, item_matches(items[i], s.key.conditions[0])) << s.key.to_string() << " item " << i;
    }
  }
}

TEST(SliceLatticeTest, MinimumSupportPrunesEveryOrder) {
  const std::vector<ItemTags> items = sample_items();
  LatticeOptions options;
  options.max_order = 3;
  options.min_support = 3;
  const std::vector<Slice> slices = enumerate_slices(items, options);
  ASSERT_FALSE(slices.empty());
  for (const Slice& s : slices) {
    EXPECT_GE(s.items.size(), 3u) << s.key.to_string();
    EXPECT_LE(s.key.order(), 3u);
  }
  EXPECT_EQ(find(slices, "operation=counting.case_enumeration"), nullptr);  // 2 items
  // Everyday scenario and arithmetic: items 0, 1, 4, 5.
  const Slice* pair = find(slices, "background=everyday_scenario & operation=arithmetic");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->items, (std::vector<uint32_t>{0, 1, 4, 5}));
}

TEST(SliceLatticeTest, ConjunctionsUseDistinctKeysAndNarrowEveryParent) {
  const std::vector<ItemTags> items = sample_items();
  LatticeOptions options;
  options.max_order = 3;
  options.min_support = 1;
  const std::vector<Slice> slices = enumerate_slices(items, options);
  for (const Slice& s : slices) {
    for (size_t k = 1; k < s.key.conditions.size(); ++k) {
      EXPECT_LT(s.key.conditions[k - 1].key, s.key.conditions[k].key) << s.key.to_string();
    }
    // Every item matches every condition, and no other item matches all of them.
    for (uint32_t i = 0; i < items.size(); ++i) {
      bool all = true;
      for (const SliceCondition& c : s.key.conditions) all = all && item_matches(items[i], c);
      EXPECT_EQ(all, std::binary_search(s.items.begin(), s.items.end(), i)) << s.key.to_string() << " item " << i;
    }
    // Each parent (one condition fewer) is listed and strictly larger.
    if (s.key.order() < 2) continue;
    for (size_t drop = 0; drop < s.key.order(); ++drop) {
      SliceKey parent = s.key;
      parent.conditions.erase(parent.conditions.begin() + static_cast<std::ptrdiff_t>(drop));
      const Slice* p = find(slices, parent.to_string());
      ASSERT_NE(p, nullptr) << parent.to_string() << " parent of " << s.key.to_string();
      EXPECT_GT(p->items.size(), s.items.size()) << s.key.to_string();
    }
  }
  // `benchmark=bench` holds every item, so extending by it narrows nothing and is never listed.
  ASSERT_NE(find(slices, "benchmark=bench"), nullptr);
  for (const Slice& s : slices) {
    if (s.key.order() > 1) {
      EXPECT_EQ(s.key.to_string().find("benchmark="), std::string::npos) << s.key.to_string();
    }
  }
  // Logic items are exactly items 7, 8, 9; logic & level=1 is item 8.
  const Slice* logic_level = find(slices, "level=1 & operation=logic.deduction");
  ASSERT_NE(logic_level, nullptr);
  EXPECT_EQ(logic_level->items, (std::vector<uint32_t>{8}));
  EXPECT_EQ(find(slices, "level=1 & operation=logic"), nullptr);  // logic == logic.deduction here
}

TEST(SliceLatticeTest, OrderIsByOrderThenConditionsAndRepeatable) {
  const std::vector<ItemTags> items = sample_items();
  LatticeOptions options;
  options.min_support = 2;
  const std::vector<Slice> a = enumerate_slices(items, options);
  const std::vector<Slice> b = enumerate_slices(items, options);
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].key, b[k].key);
    EXPECT_EQ(a[k].items, b[k].items);
    if (k == 0) continue;
    const bool ordered = a[k - 1].key.order() < a[k].key.order() ||
                         (a[k - 1].key.order() == a[k].key.order() && a[k - 1].key < a[k].key);
    EXPECT_TRUE(ordered) << a[k - 1].key.to_string() << " before " << a[k].key.to_string();
  }
  options.max_order = 1;
  for (const Slice& s : enumerate_slices(items, options)) EXPECT_EQ(s.key.order(), 1u);
  options.keys = {"level"};
  const std::vector<Slice> levels = enumerate_slices(items, options);
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0].key.tags(), (std::vector<std::string>{"level=1"}));
  EXPECT_EQ(levels[1].key.tags(), (std::vector<std::string>{"level=2"}));
}

TEST(SliceLatticeTest, ValueSupportsCountAncestors) {
  const std::vector<ItemTags> items = sample_items();
  const std::vector<ValueSupport> supports = value_supports(items, {"operation"});
  auto support = [&](const std::string& value) -> int64_t {
    for (const ValueSupport& v : supports) {
      if (v.condition.value == value) return v.items;
    }
    return -1;
  };
  EXPECT_EQ(support("arithmetic"), 7);
  EXPECT_EQ(support("arithmetic.multi_step"), 4);
  EXPECT_EQ(support("counting"), 2);
  EXPECT_EQ(support("logic"), 3);
  EXPECT_EQ(support("geometry"), -1);
}

}  // namespace
}  // namespace caploop
