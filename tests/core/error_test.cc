#include "core/error.h"

#include <gtest/gtest.h>

namespace caploop {
namespace {

TEST(ErrorTest, MessageNamesFileLineAndField) {
  Error e(ErrorKind::kInput, "expected a string", {"runs/a.jsonl", 12, "/resps/0"});
  EXPECT_STREQ(e.what(), "runs/a.jsonl:12: field '/resps/0': expected a string");
  EXPECT_EQ(e.exit_code(), 3);
}

TEST(ErrorTest, WholeFileErrorOmitsLine) {
  Error e(ErrorKind::kInput, "file is empty", {"a.json", 0, ""});
  EXPECT_STREQ(e.what(), "a.json: file is empty");
}

TEST(ErrorTest, KindsMapToDistinctExitCodes) {
  EXPECT_EQ(Error(ErrorKind::kUsage, "x").exit_code(), 2);
  EXPECT_EQ(Error(ErrorKind::kNotFound, "x").exit_code(), 4);
  EXPECT_EQ(Error(ErrorKind::kConflict, "x").exit_code(), 5);
  EXPECT_STREQ(Error(ErrorKind::kUsage, "plain").what(), "plain");
}

}  // namespace
}  // namespace caploop
