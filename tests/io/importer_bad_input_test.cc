// Every importer must refuse bad input with a kInput error that names the file, the 1-based line (0 for a
// whole-file JSON document when no line can be told) and the field as a JSON pointer.
#include <gtest/gtest.h>

#include "io/generic_importer.h"
#include "io/lm_eval_importer.h"
#include "io/opencompass_importer.h"
#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::expect_input_error;
using testing::RecordingSink;

// ---- lm-eval: JSON Lines ----

const char* kLmEvalGood =
    R"({"doc_id": 0, "doc": {"question": "What is 1+1?"}, "target": "2", )"
    R"("arguments": {"gen_args_0": {"arg_0": "Q: What is 1+1?\nA:", "arg_1": {"until": ["Q:"]}}}, )"
    R"("resps": [["It is 2."]], "filtered_resps": ["2"], "filter": "strict-match", "doc_hash": "abc"})";

class LmEvalBadInput : public ::testing::Test {
 protected:
  // Writes samples_gsm8k_<date>.jsonl with a good first line and `second` as its second line.
  fs::path write(const std::string& second, bool newline = true) {
    fs::path p = tmp_ / "samples_gsm8k_2024-01-01T00-00-00.000001.jsonl";
    testing::write_file(p, std::string(kLmEvalGood) + "\n" + second + (newline ? "\n" : ""));
    return p;
  }
  void expect_error(const fs::path& p, int64_t line, const std::string& field, const std::string& message = "") {
    RecordingSink sink;
    RunInfo run;
    run.name = "r";
    expect_input_error([&] { import_lm_eval({p}, run, sink, nullptr); }, p.filename().string(), line, field, message);
  }
  // A good record for doc 1 with `from` replaced by `to`.
  std::string good_with(const std::string& from, const std::string& to) {
    std::string s = kLmEvalGood;
    s.replace(s.find(R"("doc_id": 0)"), 11, R"("doc_id": 1)");
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  }
  testing::TempDir tmp_;
};

TEST_F(LmEvalBadInput, MalformedJsonLine) {
  expect_error(write(R"({"doc_id": 1,, "target": "2"})"), 2, "", "malformed JSON");
}

// Found while writing the fuzz targets: an argument key whose number overflows used to escape as
// std::out_of_range and end the process.
TEST_F(LmEvalBadInput, HugeArgumentIndexIsAnInputError) {
  RecordingSink sink;
  RunInfo run;
  run.name = "r";
  fs::path p = write(good_with(R"("gen_args_0")", R"("gen_args_99999999999999999999")"));
  EXPECT_THROW(import_lm_eval({p}, run, sink, nullptr), Error);
}

// Also from fuzzing: an out-of-range number in the results file's generation settings (undefined behaviour
// when cast to an integer) is refused as input.
TEST_F(LmEvalBadInput, OutOfRangeMaxGenToksInResultsIsAnInputError) {
  fs::path p = write(good_with(R"("target": "2")", R"("target": "2")"));
  testing::write_file(tmp_ / "results_2024-01-01T00-00-00.000001.json",
                      R"({"configs": {"gsm8k": {"generation_kwargs": {"max_gen_toks": 1e300}}}})");
  RecordingSink sink;
  RunInfo run;
  run.name = "r";
  EXPECT_THROW(import_lm_eval({tmp_.path()}, run, sink, nullptr), Error);
}

TEST_F(LmEvalBadInput, MissingField) {
  expect_error(write(good_with(R"("target": "2", )", "")), 2, "/target", "missing field");
}

TEST_F(LmEvalBadInput, WrongType) {
  expect_error(write(good_with(R"("doc_id": 1)", R"("doc_id": "one")")), 2, "/doc_id", "expected an integer");
  expect_error(write(good_with(R"("resps": [["It is 2."]])", R"("resps": [[7]])")), 2, "/resps/0/0",
               "expected a string");
}

TEST_F(LmEvalBadInput, InvalidUtf8) {
  expect_error(write(good_with("It is 2.", "It is \xFF.")), 2, "", "invalid UTF-8");
}

TEST_F(LmEvalBadInput, TruncatedFile) {
  std::string half = std::string(kLmEvalGood).substr(0, 90);
  expect_error(write(half, false), 2, "", "truncated");
}

TEST_F(LmEvalBadInput, EmptyFile) {
  fs::path p = tmp_ / "samples_gsm8k_2024-01-01T00-00-00.000001.jsonl";
  testing::write_file(p, "");
  expect_error(p, 0, "", "empty");
}

TEST_F(LmEvalBadInput, DuplicateDocAndFilter) { expect_error(write(kLmEvalGood), 2, "/filter", "second record"); }

TEST_F(LmEvalBadInput, WholeArrayFileNamesTheRecordPointer) {
  fs::path p = tmp_ / "samples_gsm8k.json";
  testing::write_file(p, "[\n" + std::string(kLmEvalGood) + ",\n" + good_with(R"("target": "2", )", "") + "\n]\n");
  expect_error(p, 0, "/1/target", "missing field");
}

// ---- OpenCompass: one JSON document per dataset ----

class OpenCompassBadInput : public ::testing::Test {
 protected:
  fs::path write(const std::string& text) {
    fs::path p = tmp_ / "predictions" / "model-x" / "gsm8k.json";
    testing::write_file(p, text);
    return p;
  }
  void expect_error(const fs::path& p, int64_t line, const std::string& field, const std::string& message = "") {
    RecordingSink sink;
    expect_input_error([&] { import_opencompass({p}, RunInfo{}, sink, nullptr); }, "model-x/gsm8k.json", line, field,
                       message);
  }
  testing::TempDir tmp_;
};

TEST_F(OpenCompassBadInput, MalformedJson) {
  expect_error(write("{\n  \"0\": {\"origin_prompt\": \"q\", \"prediction\": \"a\", \"gold\": \"1\"},,\n}\n"), 0, "",
               "malformed JSON");
}

TEST_F(OpenCompassBadInput, MissingField) {
  expect_error(
      write(
          R"({"0": {"origin_prompt": "q", "prediction": "a", "gold": "1"}, "1": {"origin_prompt": "q", "gold": "1"}})"),
      0, "/1/prediction", "missing field");
  expect_error(write(R"({"0": {"origin_prompt": "q", "prediction": "a"}})"), 0, "/0/gold", "missing field");
}

TEST_F(OpenCompassBadInput, WrongType) {
  expect_error(write(R"({"0": {"origin_prompt": "q", "prediction": 5, "gold": "1"}})"), 0, "/0/prediction",
               "expected a string");
  expect_error(write(R"({"0": {"origin_prompt": "q", "prediction": ["a", null], "gold": "1"}})"), 0, "/0/prediction/1",
               "expected a string");
  expect_error(write(R"(["not", "an", "object"])"), 0, "", "expected an object");
}

TEST_F(OpenCompassBadInput, InvalidUtf8) {
  expect_error(
      write(
          "{\n  \"0\": {\n    \"origin_prompt\": \"q\",\n    \"prediction\": \"\xC3\x28\",\n    \"gold\": \"1\"}\n}\n"),
      4, "", "invalid UTF-8");
}

TEST_F(OpenCompassBadInput, TruncatedFile) {
  expect_error(write("{\n  \"0\": {\n    \"origin_prompt\": \"q\",\n    \"predic"), 4, "", "truncated");
}

TEST_F(OpenCompassBadInput, EmptyFile) {
  expect_error(write(""), 0, "", "empty");
  expect_error(write("{}"), 0, "", "no predictions");
}

// ---- generic: JSON Lines and JSON documents ----

class GenericBadInput : public ::testing::Test {
 protected:
  GenericBadInput() {
    mapping_.benchmark = "gsm8k";
    mapping_.id_pointer = "/id";
    mapping_.input_pointer = "/question";
    mapping_.responses_pointer = "/outputs";
    mapping_.target_pointer = "/answer";
  }
  fs::path write(const std::string& name, const std::string& text) {
    fs::path p = tmp_ / name;
    testing::write_file(p, text);
    return p;
  }
  void expect_error(const fs::path& p, int64_t line, const std::string& field, const std::string& message = "") {
    RecordingSink sink;
    expect_input_error([&] { import_generic({p}, mapping_, RunInfo{}, sink, nullptr); }, p.filename().string(), line,
                       field, message);
  }
  static constexpr const char* kGood = R"({"id": 1, "question": "q", "outputs": ["a", "b"], "answer": 3})";
  GenericMapping mapping_;
  testing::TempDir tmp_;
};

TEST_F(GenericBadInput, MalformedJsonLine) {
  expect_error(write("o.jsonl", std::string(kGood) + "\n\n" + R"({"id": 2 "question": "q"})" + "\n"), 3, "",
               "malformed JSON");
}

TEST_F(GenericBadInput, MissingField) {
  expect_error(write("o.jsonl", std::string(kGood) + "\n" + R"({"id": 2, "outputs": ["a"], "answer": 3})" + "\n"), 2,
               "/question", "missing field");
}

TEST_F(GenericBadInput, WrongType) {
  expect_error(write("o.jsonl", R"({"id": 2, "question": "q", "outputs": "a", "answer": 3})"), 1, "/outputs",
               "expected an array");
  expect_error(write("o.jsonl", R"({"id": 2, "question": ["q"], "outputs": ["a"], "answer": 3})"), 1, "/question",
               "expected a string");
}

TEST_F(GenericBadInput, InvalidUtf8) {
  expect_error(write("o.jsonl", std::string(kGood) + "\n" + "{\"id\": 2, \"question\": \"\xE2\x82\"}\n"), 2, "",
               "invalid UTF-8");
}

TEST_F(GenericBadInput, TruncatedFile) {
  expect_error(write("o.jsonl", std::string(kGood) + "\n" + R"({"id": 2, "question": "q", "outp)"), 2, "", "truncated");
}

TEST_F(GenericBadInput, EmptyFile) {
  expect_error(write("o.jsonl", ""), 0, "", "empty");
  expect_error(write("o.json", "\n"), 0, "", "empty");
}

TEST_F(GenericBadInput, DuplicateId) {
  expect_error(write("o.jsonl", std::string(kGood) + "\n" + kGood + "\n"), 2, "/id", "appears twice");
}

TEST_F(GenericBadInput, DocumentRecordsNameTheirPointer) {
  mapping_.records_pointer = "/outputs_by_item";
  expect_error(write("o.json", R"({"outputs_by_item": [)" + std::string(kGood) +
                                   R"(, {"id": 2, "question": "q", "outputs": ["a"]}]})"),
               0, "/outputs_by_item/1/answer", "missing field");
  expect_error(write("o.json", R"({"other": []})"), 0, "/outputs_by_item", "missing field");
  expect_error(write("o.json", R"({"outputs_by_item": []})"), 0, "/outputs_by_item", "no records");
}

TEST_F(GenericBadInput, TruncatedDocumentReportsItsLastLine) {
  expect_error(write("o.json", "{\"outputs_by_item\": [\n" + std::string(kGood) + ",\n{\"id\": 2,"), 3, "",
               "truncated");
}

}  // namespace
}  // namespace caploop
