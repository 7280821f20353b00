#include "io/json_parser.h"

#include <gtest/gtest.h>

#include "io/json_fields.h"
#include "recording_sink.h"

namespace caploop {
namespace {

using testing::expect_input_error;

TEST(JsonParser, ParsesOneLineAndReusesItsBuffers) {
  JsonParser parser;
  SourceLocation where{"a.jsonl", 3, ""};
  simdjson::dom::element first = parser.parse(R"({"a": "x"})", where);
  EXPECT_EQ(json_string(first, "/a", where), "x");
  simdjson::dom::element second = parser.parse(R"({"a": "a much longer value than before"})", where);
  EXPECT_EQ(json_string(second, "/a", where), "a much longer value than before");
}

TEST(JsonParser, MalformedLineNamesFileAndLine) {
  JsonParser parser;
  expect_input_error(
      [&] {
        parser.parse(R"({"a": 1,, "b": 2})", {"x.jsonl", 7, ""});
      },
      "x.jsonl", 7, "", "malformed JSON");
}

TEST(JsonParser, TruncatedRecordIsReportedAsTruncated) {
  JsonParser parser;
  expect_input_error(
      [&] {
        parser.parse(R"({"a": "cut in the mid)", {"x.jsonl", 2, ""});
      },
      "x.jsonl", 2, "", "truncated");
}

TEST(JsonParser, TruncatedWholeFileReportsItsLastLine) {
  JsonParser parser;
  expect_input_error([&] { parser.parse("{\n  \"a\": [1,\n  2,\n", {"x.json", 0, ""}); }, "x.json", 3, "", "truncated");
}

TEST(JsonParser, InvalidUtf8InWholeFileReportsItsLine) {
  JsonParser parser;
  std::string text = "{\n\"a\": \"ok\",\n\"b\": \"bad \xC3\x28 byte\"\n}";
  expect_input_error([&] { parser.parse(text, {"x.json", 0, ""}); }, "x.json", 3, "", "invalid UTF-8");
}

TEST(JsonParser, EmptyTextIsAnError) {
  JsonParser parser;
  expect_input_error([&] { parser.parse("  \n", {"x.json", 0, ""}); }, "x.json", 0, "", "empty");
}

TEST(JsonParser, FirstInvalidUtf8Line) {
  EXPECT_EQ(first_invalid_utf8_line("a\nb\nc"), 0);
  EXPECT_EQ(first_invalid_utf8_line("a\n\xE2\x82\xAC ok\n\xFF"), 3);  // the euro sign is valid
  EXPECT_EQ(first_invalid_utf8_line("\xC3"), 1);                      // a sequence cut at the end
}

TEST(JsonParser, TruncationScanIgnoresBracketsInStrings) {
  EXPECT_FALSE(json_text_is_truncated(R"({"a": "[{"})"));
  EXPECT_TRUE(json_text_is_truncated(R"({"a": "]}\")"));  // the escaped quote leaves the string open
  EXPECT_TRUE(json_text_is_truncated(R"([{"a": 1})"));
}

}  // namespace
}  // namespace caploop
