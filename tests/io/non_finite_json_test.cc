// Harness files as Python's json module writes them: bare NaN / Infinity / -Infinity, a UTF-8 byte order mark,
// and (an input error) an object with the same key twice. The lm-eval and OpenCompass files are the real-shaped
// fixtures in tests/fixtures with one value changed to what Python writes for a float('nan') (a per-sample
// bleu of an empty prediction, a results stderr over one item).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "io/json_fields.h"
#include "io/json_parser.h"
#include "io/lm_eval_importer.h"
#include "io/opencompass_importer.h"
#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::expect_input_error;

TEST(NonFiniteJson, BareNaNAndInfinitiesAreNumbersWhereNumbersAreRead) {
  JsonParser parser;
  SourceLocation where{"r.json", 0, ""};
  auto root = parser.parse(R"({"bleu": NaN, "hi": Infinity, "lo": -Infinity, "ok": 0.5, "list": [NaN, 1]})", where);
  EXPECT_TRUE(std::isnan(as_number(json_require(root, "/bleu", where), "/bleu", where)));
  EXPECT_EQ(as_number(json_require(root, "/hi", where), "/hi", where), INFINITY);
  EXPECT_EQ(as_number(json_require(root, "/lo", where), "/lo", where), -INFINITY);
  EXPECT_EQ(as_number(json_require(root, "/ok", where), "/ok", where), 0.5);
  EXPECT_TRUE(std::isnan(json_number_or_numeric_string(json_require(root, "/list/0", where), "/list/0", where)));
  EXPECT_TRUE(json_is_non_finite(json_require(root, "/hi", where)));
  EXPECT_FALSE(json_is_non_finite(json_require(root, "/ok", where)));
}

TEST(NonFiniteJson, BareNaNIsNullWhereTextIsRead) {
  JsonParser parser;
  SourceLocation where{"r.jsonl", 4, ""};
  auto root = parser.parse(R"({"gold": NaN, "doc": {"x": NaN, "y": [Infinity, "NaN"], "z": 5e-3}})", where);
  EXPECT_EQ(json_text(json_require(root, "/gold", where)), "");
  EXPECT_EQ(json_minified(json_require(root, "/doc", where)), R"({"x":null,"y":[null,"NaN"],"z":0.005})");
}

TEST(NonFiniteJson, TheWordsInsideStringsAreLeftAlone) {
  JsonParser parser;
  SourceLocation where{"r.jsonl", 1, ""};
  auto root = parser.parse(R"({"a": "NaN \" Infinity", "b": -Infinity})", where);
  EXPECT_EQ(json_string(root, "/a", where), "NaN \" Infinity");
  // Words that only start like the tokens are still malformed JSON.
  expect_input_error([&] { parser.parse(R"({"a": NaNa})", where); }, "r.jsonl", 1, "", "malformed JSON");
  expect_input_error([&] { parser.parse(R"({"a": nan})", where); }, "r.jsonl", 1, "", "malformed JSON");
}

TEST(NonFiniteJson, ByteOrderMarkIsSkipped) {
  JsonParser parser;
  SourceLocation where{"r.json", 0, ""};
  auto root = parser.parse("\xEF\xBB\xBF{\"a\": 1}", where);
  EXPECT_EQ(json_int64(root, "/a", where), 1);
}

TEST(NonFiniteJson, DuplicateKeyIsAnInputErrorNamingTheKeyAndItsObject) {
  JsonParser parser;
  expect_input_error(
      [&] {
        parser.parse(R"({"a": 1, "b": 2, "a": 3})", {"x.jsonl", 7, ""});
      },
      "x.jsonl", 7, "", "duplicate key \"a\"");
  expect_input_error(
      [&] {
        parser.parse(R"({"doc": {"q": 1}, "resps": [[{"t": 1, "t": 2}]]})", {"x.jsonl", 2, ""});
      },
      "x.jsonl", 2, "/resps/0/0", "duplicate key \"t\"");
  // Many keys take the sorted path of the check.
  std::string wide = "{";
  for (int i = 0; i < 20; ++i) wide += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  wide += "\"k/7\": 1, \"k/7\": 2}";
  expect_input_error([&] { parser.parse(wide, {"x.json", 0, ""}); }, "x.json", 0, "", "duplicate key \"k/7\"");
  // The same key in two different objects is fine.
  EXPECT_NO_THROW(parser.parse(R"([{"a": 1}, {"a": 2, "b": {"a": 3}}])", {"x.json", 0, ""}));
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(NonFiniteJson, LmEvalFolderWithNaNStderrAndPerSampleBleuIngests) {
  testing::TempDir dir;
  fs::path source = testing::fixtures_dir() / "lm_eval" / "v04_gsm8k" / "EleutherAI__pythia-160m";
  fs::path model = dir / "EleutherAI__pythia-160m";
  fs::create_directories(model);
  for (const auto& entry : fs::directory_iterator(source)) {
    std::string text = testing::read_file(entry.path());
    std::string name = entry.path().filename().string();
    if (name.starts_with("results_")) {
      text = replaced(text, "\"exact_match_stderr,strict-match\": 0.3333", "\"exact_match_stderr,strict-match\": NaN");
      text = "\xEF\xBB\xBF" + text;
    } else {
      // A per-sample metric Python wrote as NaN, on the first record.
      text = replaced(text, "\"doc_id\": 0, ", "\"doc_id\": 0, \"bleu\": NaN, \"rouge\": -Infinity, ");
    }
    testing::write_file(model / name, text);
  }
  testing::RecordingSink sink;
  RunInfo run;
  run.name = "nan";
  import_lm_eval({dir.path()}, run, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 3u);
  EXPECT_EQ(sink.find("gsm8k", "0").item.reference, "18");
}

TEST(NonFiniteJson, OpenCompassPredictionWithNaNGoldIngestsWithAnEmptyReference) {
  testing::TempDir dir;
  fs::path model = dir / "internlm2-chat-1_8b";
  fs::create_directories(model);
  fs::path source = testing::fixtures_dir() / "opencompass" / "predictions" / "internlm2-chat-1_8b" / "gsm8k.json";
  std::string text = testing::read_file(source);
  text = replaced(text, "\"gold\": \"18\"", "\"gold\": NaN, \"bleu\": NaN");
  testing::write_file(model / "gsm8k.json", text);
  testing::RecordingSink sink;
  import_opencompass({model}, RunInfo{}, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 3u);
  EXPECT_EQ(sink.find("gsm8k", "0").item.reference, "");
  EXPECT_EQ(sink.find("gsm8k", "1").item.reference, "3");
}

}  // namespace
}  // namespace caploop
