#include "core/json_writer.h"

#include <gtest/gtest.h>

namespace caploop {
namespace {

TEST(JsonWriterTest, NestedStructure) {
  JsonWriter w;
  w.begin_object().field("a", int64_t{1}).key("b").begin_array().value("x").value(2.5).null().end_array();
  w.key("c").begin_object().end_object().end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",2.5,null],"c":{}})");
}

TEST(JsonWriterTest, EscapesControlAndQuotes) {
  std::string out;
  append_json_string(out, "a\"b\\c\n\x01<script>");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001<script>\"");
}

TEST(JsonWriterTest, InvalidUtf8BecomesReplacementCharacter) {
  std::string out;
  append_json_string(out, std::string("ok\xff\xc3(") + "\xe2\x82\xac");
  EXPECT_EQ(out, "\"ok\xEF\xBF\xBD\xEF\xBF\xBD(\xe2\x82\xac\"");
}

TEST(JsonWriterTest, PrettyPrintsAndEmptyArrays) {
  JsonWriter w(true);
  w.begin_object().key("x").begin_array().end_array().field("y", true).end_object();
  EXPECT_EQ(w.str(), "{\n  \"x\": [],\n  \"y\": true\n}");
}

TEST(JsonWriterTest, DoublesRoundTripAndNonFiniteIsNull) {
  JsonWriter w;
  w.begin_array().value(0.1).value(1.0 / 0.0).value(87.2).end_array();
  EXPECT_EQ(w.str(), "[0.1,null,87.2]");
}

}  // namespace
}  // namespace caploop

namespace caploop {
namespace {

TEST(JsonStringLiteralTest, QuotesAndEscapesAsTheWriterDoesKeepingValidUtf8AsItIs) {
  const std::string text = "a \"q\" \\ \n\r\t\x01 caf\xc3\xa9 \xe2\x88\x91 \xf0\x9f\x99\x82";
  EXPECT_EQ(json_string_literal(text),
            "\"a \\\"q\\\" \\\\ \\n\\r\\t\\u0001 caf\xc3\xa9 \xe2\x88\x91 \xf0\x9f\x99\x82\"");
  JsonWriter w;
  w.value(text);
  EXPECT_EQ(json_string_literal(text), w.str());
  EXPECT_EQ(json_string_literal("bad \xff"), "\"bad \xef\xbf\xbd\"");
}

}  // namespace
}  // namespace caploop
