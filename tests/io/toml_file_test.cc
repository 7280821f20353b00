#include "io/toml_file.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "test_support.h"

namespace caploop {
namespace {

using caploop::testing::TempDir;
using caploop::testing::write_file;

TEST(TomlFile, SyntaxErrorNamesFileAndLine) {
  const std::string text = "name = \"a\"\ncount = 3\nbroken = = 4\nlast = 5\n";
  try {
    parse_toml_or_throw(text, "rules.toml");
    FAIL() << "the syntax error was not reported";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().file, "rules.toml");
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.where().field, "");
    EXPECT_EQ(e.message().rfind("invalid TOML: ", 0), 0u) << e.message();
    EXPECT_GT(e.message().size(), std::string("invalid TOML: ").size());
  }
}

TEST(TomlFile, SyntaxErrorWithoutPrefixGivesTomlDescriptionAlone) {
  const std::string text = "[a]\nx = [1, 2\n";
  std::string prefixed_message, bare_message;
  int64_t prefixed_line = -1, bare_line = -1;
  try {
    parse_toml_or_throw(text, "t.toml");
  } catch (const Error& e) {
    prefixed_message = e.message();
    prefixed_line = e.where().line;
  }
  try {
    parse_toml_or_throw(text, "t.toml", "");
  } catch (const Error& e) {
    bare_message = e.message();
    bare_line = e.where().line;
  }
  EXPECT_FALSE(bare_message.empty());
  EXPECT_EQ(prefixed_message, "invalid TOML: " + bare_message);
  EXPECT_EQ(bare_line, prefixed_line);
  EXPECT_GE(bare_line, 2);
}

TEST(TomlFile, ValidTextParses) {
  toml::table t = parse_toml_or_throw("[loop]\nseed = 7\n", "ok.toml");
  EXPECT_EQ(t["loop"]["seed"].value<int64_t>(), 7);
}

TEST(TomlFile, FailAtNamesKeyAndTheNodesLine) {
  const toml::table t = parse_toml_or_throw("# header\n[plan]\nname = \"x\"\n\nbudget = -1\n", "loop.toml");
  const toml::node& budget = *t["plan"].as_table()->get("budget");
  EXPECT_EQ(line_of(budget), 5);
  EXPECT_EQ(line_of(*t["plan"].as_table()), 2);
  try {
    fail_at("loop.toml", budget, "plan.budget", "must be > 0");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.message(), "must be > 0");
    EXPECT_EQ(e.where().file, "loop.toml");
    EXPECT_EQ(e.where().line, 5);
    EXPECT_EQ(e.where().field, "plan.budget");
  }
}

TEST(TomlFile, TypeNamesForMessages) {
  const toml::table t = parse_toml_or_throw("s = \"a\"\ni = 1\nf = 1.5\nb = true\na = [1]\n[t]\n", "types.toml");
  EXPECT_EQ(type_name_of(*t.get("s")), "string");
  EXPECT_EQ(type_name_of(*t.get("i")), "integer");
  EXPECT_EQ(type_name_of(*t.get("f")), "float");
  EXPECT_EQ(type_name_of(*t.get("b")), "boolean");
  EXPECT_EQ(type_name_of(*t.get("a")), "array");
  EXPECT_EQ(type_name_of(*t.get("t")), "table");
}

TEST(TomlFile, ReadTextFileReturnsTheBytesAsOnDisk) {
  TempDir dir;
  const std::string content = "a = 1\r\nb = \"\xc3\xa9\"\n\n";
  write_file(dir / "c.toml", content);
  EXPECT_EQ(read_text_file(dir / "c.toml"), content);
}

TEST(TomlFile, UnreadableFileGivesIoErrorNamingIt) {
  TempDir dir;
  const auto missing = dir / "absent.toml";
  try {
    read_text_file(missing);
    FAIL() << "reading a missing file did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(e.where().file, missing.string());
    EXPECT_EQ(e.where().line, 0);
    EXPECT_EQ(e.message(), "cannot open file");
  }
}

}  // namespace
}  // namespace caploop
