#include "io/toml_table_reader.h"

#include <gtest/gtest.h>

#include "io/toml_file.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::expect_error;

const char* kText =
    "title = \"x\"\n"
    "[[runs]]\n"
    "name = \"a\"\n"
    "paths = \"one.jsonl\"\n"
    "threads = 2\n"
    "ratio = 3\n"
    "on = true\n"
    "tags = [\"p\", \"q\"]\n"
    "mixed = [\"p\", 1]\n"
    "empty = \"\"\n";

class TomlTableReaderTest : public ::testing::Test {
 protected:
  toml::table root_ = parse_toml_or_throw(kText, "c.toml");
  const toml::table& run_ = *root_["runs"].as_array()->get(0)->as_table();
};

TEST_F(TomlTableReaderTest, ReadsTypedValuesAndAbsentKeysAsNullopt) {
  TomlTableReader r("c.toml", run_, "runs[1]");
  EXPECT_EQ(r.required_string("name"), "a");
  EXPECT_EQ(r.integer("threads"), 2);
  EXPECT_EQ(r.number("ratio"), 3.0);  // an integer reads as a number
  EXPECT_EQ(r.boolean("on"), true);
  EXPECT_EQ(r.strings("tags"), (std::vector<std::string>{"p", "q"}));
  EXPECT_EQ(r.string_or_strings("paths"), (std::vector<std::string>{"one.jsonl"}));
  EXPECT_EQ(r.string("nothing"), std::nullopt);
  EXPECT_EQ(r.integer("nothing"), std::nullopt);
  EXPECT_EQ(r.array("nothing"), nullptr);
  EXPECT_EQ(r.required_string("empty"), "");
  EXPECT_EQ(r.key_name("name"), "runs[1].name");
  EXPECT_EQ(TomlTableReader("c.toml", root_, "").key_name("title"), "title");
}

TEST_F(TomlTableReaderTest, WrongTypeNamesFileLineKeyAndBothTypes) {
  TomlTableReader r("c.toml", run_, "runs[1]");
  Error e = expect_error([&] { r.string("threads"); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, "c.toml");
  EXPECT_EQ(e.where().line, 5);
  EXPECT_EQ(e.where().field, "runs[1].threads");
  EXPECT_EQ(e.message(), "expected a string, got integer");
  EXPECT_EQ(expect_error([&] { r.integer("name"); }).message(), "expected an integer, got string");
}

TEST_F(TomlTableReaderTest, ArraysOfStringsRejectOtherElementsAndASingleStringUnlessAllowed) {
  TomlTableReader r("c.toml", run_, "runs[1]");
  Error e = expect_error([&] { r.strings("mixed"); });
  EXPECT_EQ(e.where().field, "runs[1].mixed");
  EXPECT_EQ(e.message(), "expected an array of strings, got integer");
  EXPECT_EQ(expect_error([&] { r.strings("paths"); }).message(), "expected an array of strings, got string");
  EXPECT_EQ(expect_error([&] { r.boolean("name"); }).message(), "expected true or false, got string");
}

TEST_F(TomlTableReaderTest, MissingAndEmptyRequiredKeys) {
  TomlTableReader r("c.toml", run_, "runs[1]");
  Error m = expect_error([&] { r.required_string("model"); });
  EXPECT_EQ(m.where().line, 2);  // the table's line
  EXPECT_EQ(m.where().field, "runs[1].model");
  EXPECT_EQ(m.message(), "missing required key 'runs[1].model'");
  Error e = expect_error([&] { r.nonempty_string("empty"); });
  EXPECT_EQ(e.where().line, 10);
  EXPECT_EQ(e.message(), "must not be empty");
}

TEST_F(TomlTableReaderTest, UnknownKeysAreTheOnesNeverReadOrNotAllowed) {
  TomlTableReader r("c.toml", run_, "runs[1]");
  for (const char* key : {"name", "paths", "threads", "ratio", "on", "tags", "empty"}) r.node(key);
  Error e = expect_error([&] { r.reject_unknown(); });
  EXPECT_EQ(e.where().line, 9);
  EXPECT_EQ(e.where().field, "runs[1].mixed");
  EXPECT_EQ(e.message(), "unknown key 'runs[1].mixed'");
  r.node("mixed");
  r.reject_unknown();
  Error a = expect_error([&] { r.allow_only({"name", "paths", "threads", "ratio", "on", "tags", "mixed"}); });
  EXPECT_EQ(a.where().field, "runs[1].empty");
}

TEST_F(TomlTableReaderTest, FailPointsAtTheKeyOrTheTable) {
  TomlTableReader r("c.toml", run_, "runs[1]");
  Error k = expect_error([&] { r.fail("tags", "tag 'p' is listed twice"); });
  EXPECT_EQ(k.where().line, 8);
  EXPECT_EQ(k.where().field, "runs[1].tags");
  Error t = expect_error([&] { r.fail("", "a run needs paths"); });
  EXPECT_EQ(t.where().line, 2);
  EXPECT_EQ(t.where().field, "runs[1]");
}

}  // namespace
}  // namespace caploop
