#!/usr/bin/env python3
"""Test of the `fast` labelling (scripts/test_labels.py) on a small tree written here: a test is fast unless it,
its fixture, a helper of its file (directly or through another helper) or a data helper header of tests/ reads
../shared/data or starts chromium."""
import os
import subprocess
import sys
import tempfile

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
script = os.path.join(root, "scripts", "test_labels.py")

FILES = {
    "layer/plain_test.cc": """
namespace {
int twice(int x) { return 2 * x; }
}
TEST(Plain, Arithmetic) { EXPECT_EQ(twice(2), 4); }
TEST(Plain, ReadsData) { auto p = shared_data_dir() / "bbh"; }
""",
    "layer/helpers_test.cc": """
std::string path_of_bbh() { return (shared_data_dir() / "bbh").string(); }  // a helper using the data
std::string first_bbh_file() { return path_of_bbh() + "/a.json"; }          // through another helper
class RealRuns : public ::testing::Test {
 protected:
  void SetUp() override { REQUIRE_SHARED_DATA(); }
};
TEST(Helpers, Indirect) { EXPECT_FALSE(first_bbh_file().empty()); }
TEST_F(RealRuns, Fixture) { EXPECT_TRUE(true); }
TEST(Helpers, Browser) { if (!fs::exists("/usr/bin/chromium")) GTEST_SKIP(); }
TEST(Helpers, NoData) { EXPECT_EQ(1 + 1, 2); }  // shared_data_dir() in a comment does not count
class Cases : public ::testing::TestWithParam<int> {};
TEST_P(Cases, Parameterised) { EXPECT_GE(GetParam(), 0); }
""",
    "layer/uses_helper_test.cc": """
#include "layer/real_items.h"
TEST(UsesHelper, LoadsRealItems) { auto items = load_real_items(); }
TEST(UsesHelper, Synthetic) { EXPECT_TRUE(true); }
""",
    "layer/real_items.h": "std::vector<int> load_real_items();\n",
    "layer/real_items.cc": "std::vector<int> load_real_items() { read(shared_data_dir() / \"x\"); return {}; }\n",
}

with tempfile.TemporaryDirectory() as tmp:
    for name, text in FILES.items():
        path = os.path.join(tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    out = subprocess.run([sys.executable, script, tmp, "layer"], capture_output=True, text=True, check=True)
    fast = out.stdout.strip().split(":")
    expected = ["Helpers.NoData", "*/Cases.Parameterised/*", "Plain.Arithmetic", "UsesHelper.Synthetic"]
    assert sorted(fast) == sorted(expected), f"fast: {fast}, expected {expected}"
print("1 passed, 0 failed")
