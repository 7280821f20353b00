// The loop configuration's control key (issue 13): `control = "run"` per comparison names the run trained as
// long on the plan's control arm; it needs `after` and must name a declared run, refused at its line otherwise.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "loop/loop_config.h"
#include "test_support.h"

namespace caploop {
namespace {
namespace fs = std::filesystem;

const char* kConfig = R"([loop]
out = "results"

[[runs]]
name = "a"
paths = ["runs/a.jsonl"]
benchmark = "gsm8k"
input = "/q"
response = "/o"
target = "/t"

[[runs]]
name = "b"
paths = ["runs/a.jsonl"]
benchmark = "gsm8k"
input = "/q"
response = "/o"
target = "/t"

[[comparisons]]
name = "ab"
baseline = "a"
candidate = "b"
)";

LoopConfig load(const testing::TempDir& tmp, const std::string& extra) {
  testing::write_file(tmp / "runs" / "a.jsonl", "{\"q\":\"1+1\",\"o\":\"2\",\"t\":\"2\"}\n");
  testing::write_file(tmp / "loop.toml", std::string(kConfig) + extra);
  return load_loop_config(tmp / "loop.toml");
}

TEST(LoopControlConfigTest, ControlNamesARunAndNeedsAfter) {
  testing::TempDir tmp;
  const LoopConfig c = load(tmp, "after = \"b\"\ncontrol = \"a\"\n");
  ASSERT_EQ(c.comparisons.size(), 1u);
  EXPECT_EQ(c.comparisons[0].control, std::optional<std::string>("a"));
  EXPECT_FALSE(load(tmp, "after = \"b\"\n").comparisons[0].control.has_value());

  const Error unknown = testing::expect_error([&] { load(tmp, "after = \"b\"\ncontrol = \"z\"\n"); });
  EXPECT_EQ(unknown.kind(), ErrorKind::kInput);
  EXPECT_EQ(unknown.where().field, "comparisons[1].control");
  EXPECT_EQ(unknown.where().line, 25);  // the control line, after the four comparison lines
  const Error alone = testing::expect_error([&] { load(tmp, "control = \"a\"\n"); });
  EXPECT_EQ(alone.where().field, "comparisons[1].control");
  EXPECT_NE(alone.message().find("needs `after`"), std::string::npos) << alone.message();
}

}  // namespace
}  // namespace caploop
