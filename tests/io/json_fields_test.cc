#include "io/json_fields.h"

#include <gtest/gtest.h>

#include "io/json_parser.h"
#include "recording_sink.h"

namespace caploop {
namespace {

using testing::expect_input_error;

class JsonFieldsTest : public ::testing::Test {
 protected:
  simdjson::dom::element parse(const std::string& text) { return parser_.parse(text, where_); }
  JsonParser parser_;
  SourceLocation where_{"r.jsonl", 4, ""};
};

TEST_F(JsonFieldsTest, FindsNestedFieldsAndArrayElements) {
  auto r = parse(R"({"a": {"b/c": [10, {"d~e": "x"}]}})");
  EXPECT_EQ(json_int64(r, "/a/b~1c/0", where_), 10);
  EXPECT_EQ(json_string(r, "/a/b~1c/1/d~0e", where_), "x");
  EXPECT_FALSE(json_find(r, "/a/missing", where_).has_value());
  EXPECT_FALSE(json_find(r, "/a/b~1c/5", where_).has_value());
  EXPECT_TRUE(json_find(r, "", where_)->is_object());  // "" is the record itself
}

TEST_F(JsonFieldsTest, FindsDottedPathsOfObjectKeys) {
  auto r = parse(R"({"id": 7, "metadata": {"source": "arxiv", "n": {"deep": true}}, "text": "x"})");
  EXPECT_EQ(std::string_view(*json_find_dotted(r, "metadata.source")), "arxiv");
  EXPECT_TRUE(bool(*json_find_dotted(r, "metadata.n.deep")));
  EXPECT_EQ(int64_t(*json_find_dotted(r, "id")), 7);
  EXPECT_FALSE(json_find_dotted(r, "metadata.missing").has_value());
  EXPECT_FALSE(json_find_dotted(r, "text.inner").has_value());  // a string has no keys
  EXPECT_FALSE(json_find_dotted(r, "").has_value());
}

TEST_F(JsonFieldsTest, MissingFieldNamesThePointer) {
  auto r = parse(R"({"a": 1})");
  expect_input_error([&] { json_require(r, "/b", where_); }, "r.jsonl", 4, "/b", "missing field");
}

TEST_F(JsonFieldsTest, WrongTypeNamesBothTypes) {
  auto r = parse(R"({"a": 1, "s": "x"})");
  expect_input_error([&] { json_string(r, "/a", where_); }, "r.jsonl", 4, "/a", "expected a string, found number");
  expect_input_error([&] { json_int64(r, "/s", where_); }, "r.jsonl", 4, "/s", "expected an integer, found string");
  expect_input_error([&] { json_array(r, "/a", where_); }, "r.jsonl", 4, "/a", "expected an array");
}

TEST_F(JsonFieldsTest, SteppingIntoAScalarIsAnErrorNotAMissingField) {
  auto r = parse(R"({"a": "text"})");
  expect_input_error([&] { json_find(r, "/a/b", where_); }, "r.jsonl", 4, "/a/b", "cannot follow");
}

TEST_F(JsonFieldsTest, FieldOfARecordInADocumentIsPrefixedWithTheRecordPointer) {
  auto r = parse(R"({"a": 1})");
  SourceLocation in_document{"d.json", 0, "/outputs/17"};
  expect_input_error([&] { json_string(r, "/target", in_document); }, "d.json", 0, "/outputs/17/target");
}

TEST_F(JsonFieldsTest, ValuesAsText) {
  auto r = parse(R"({"s": "x y", "i": -42, "u": 18446744073709551615, "d": 0.5, "t": true, "n": null,
                    "a": [1, "b"], "o": {"k": 1}})");
  EXPECT_EQ(json_text(*json_find(r, "/s", where_)), "x y");
  EXPECT_EQ(json_text(*json_find(r, "/i", where_)), "-42");
  EXPECT_EQ(json_text(*json_find(r, "/u", where_)), "18446744073709551615");
  EXPECT_EQ(json_text(*json_find(r, "/d", where_)), "0.5");
  EXPECT_EQ(json_text(*json_find(r, "/t", where_)), "true");
  EXPECT_EQ(json_text(*json_find(r, "/n", where_)), "");
  EXPECT_EQ(json_text(*json_find(r, "/a", where_)), R"([1,"b"])");
  EXPECT_EQ(json_text(*json_find(r, "/o", where_)), R"({"k":1})");
}

TEST_F(JsonFieldsTest, NumbersMayBeWrittenAsStrings) {
  auto r = parse(R"({"a": ["-1.25", "False"], "b": 3, "c": "x"})");
  EXPECT_DOUBLE_EQ(json_number_or_numeric_string(*json_find(r, "/a/0", where_), "/a/0", where_), -1.25);
  EXPECT_DOUBLE_EQ(json_number_or_numeric_string(*json_find(r, "/b", where_), "/b", where_), 3.0);
  expect_input_error([&] { json_number_or_numeric_string(*json_find(r, "/c", where_), "/c", where_); }, "r.jsonl", 4,
                     "/c", "expected a number");
}

TEST(JsonPointerCheck, RejectsMalformedPointers) {
  EXPECT_NO_THROW(check_json_pointer("", "x"));
  EXPECT_NO_THROW(check_json_pointer("/a/~0/~1", "x"));
  EXPECT_THROW(check_json_pointer("a/b", "x"), Error);
  EXPECT_THROW(check_json_pointer("/a~2", "x"), Error);
  EXPECT_THROW(check_json_pointer("/a~", "x"), Error);
}

}  // namespace
}  // namespace caploop
