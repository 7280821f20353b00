#include "io/generic_importer.h"

#include <gtest/gtest.h>

#include "recording_sink.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

fs::path generic_fixtures() { return testing::fixtures_dir() / "generic"; }

TEST(GenericImporter, ResponseObjectsWithPerResponseFinishReasonAndTokens) {
  GenericMapping m;
  m.benchmark = "gsm8k";
  m.id_pointer = "/id";
  m.input_pointer = "/prompt";
  m.responses_pointer = "/outputs";
  m.response_text_pointer = "/text";
  m.response_finish_reason_pointer = "/finish_reason";
  m.response_n_tokens_pointer = "/num_tokens";
  m.target_pointer = "/answer";
  m.metadata_pointers = {"/meta", "/absent"};
  RecordingSink sink;
  RunInfo run;
  run.name = "g";
  run.model = "m";
  import_generic({generic_fixtures() / "vllm_style.jsonl"}, m, run, sink, nullptr);
  EXPECT_EQ(sink.run_info.harness, "generic");
  EXPECT_EQ(sink.run_info.model, "m");
  ASSERT_EQ(sink.items.size(), 3u);
  const auto& second = sink.items[1];
  EXPECT_EQ(second.item.benchmark, "gsm8k");
  EXPECT_EQ(second.item.task, "gsm8k");  // no task given: the benchmark
  EXPECT_EQ(second.item.source_id, "gsm8k-1");
  EXPECT_EQ(second.item.reference, "3");  // the number 3 as text
  EXPECT_EQ(second.item.metadata_json, R"({"meta":{"split":"test"}})");
  EXPECT_EQ(second.item.origin.line, 2);
  ASSERT_EQ(second.responses.size(), 2u);
  EXPECT_EQ(second.responses[0].finish_reason, "stop");
  EXPECT_EQ(second.responses[0].n_tokens, 31);
  EXPECT_EQ(second.responses[1].sample_index, 1);
  EXPECT_EQ(second.responses[1].finish_reason, "length");
  EXPECT_EQ(second.responses[1].n_tokens, 8);
  EXPECT_EQ(second.responses[1].text, second.responses[0].text.substr(0, 20));
}

TEST(GenericImporter, NestedRecordsArrayWithNumericTargetsAndRecordLevelFields) {
  GenericMapping m;
  m.benchmark = "arith";
  m.task = "toy";
  m.records_pointer = "/data/records";
  m.input_pointer = "/q";
  m.response_pointer = "/out";
  m.target_pointer = "/gold";
  m.finish_reason_pointer = "/reason";
  m.n_tokens_pointer = "/toks";
  m.metadata_pointers = {"/level"};
  RecordingSink sink;
  import_generic({generic_fixtures() / "nested_records.json"}, m, RunInfo{}, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 2u);
  EXPECT_EQ(sink.items[0].item.task, "toy");
  EXPECT_EQ(sink.items[0].item.source_id, "0");  // the record index
  EXPECT_EQ(sink.items[1].item.source_id, "1");
  EXPECT_EQ(sink.items[0].item.reference, "5");
  EXPECT_EQ(sink.items[1].item.reference, "1.5");
  EXPECT_EQ(sink.items[1].item.metadata_json, R"({"level":2})");
  EXPECT_EQ(sink.items[1].item.origin.field, "/data/records/1");
  EXPECT_EQ(sink.items[1].responses[0].text, "1.5");
  EXPECT_EQ(sink.items[1].responses[0].finish_reason, "length");
  EXPECT_EQ(sink.items[1].responses[0].n_tokens, 4);
}

TEST(GenericImporter, TaskFromFileNameRegex) {
  GenericMapping m;
  m.benchmark = "bbh";
  m.records_pointer = "/outputs";
  m.input_pointer = "/input";
  m.response_pointer = "/prediction";
  m.target_pointer = "/target";
  m.task_file_regex = "^(.*)_few_shot_template";
  RecordingSink sink;
  import_generic({generic_fixtures() / "by_task" / "navigate_few_shot_template_0-255000.json",
                  generic_fixtures() / "by_task" / "snarks_few_shot_template_0-255000.json"},
                 m, RunInfo{}, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 6u);
  EXPECT_EQ(sink.items[0].item.task, "navigate");
  EXPECT_EQ(sink.items[3].item.task, "snarks");
  EXPECT_EQ(sink.items[3].item.source_id, "0");  // ids restart per file; tasks differ
  EXPECT_EQ(sink.items[5].item.prompt, "snarks question 2");
}

TEST(GenericImporter, FileNameNotMatchingTheRegexIsAnError) {
  GenericMapping m;
  m.benchmark = "bbh";
  m.records_pointer = "/data/records";
  m.input_pointer = "/q";
  m.response_pointer = "/out";
  m.target_pointer = "/gold";
  m.task_file_regex = "^(.*)_few_shot_template";
  RecordingSink sink;
  testing::expect_input_error(
      [&] { import_generic({generic_fixtures() / "nested_records.json"}, m, RunInfo{}, sink, nullptr); },
      "nested_records.json", 0, "", "does not match");
}

TEST(GenericImporter, TaskFromARecordField) {
  testing::TempDir tmp;
  testing::write_file(tmp / "o.jsonl",
                      "{\"t\": \"a\", \"q\": \"x\", \"r\": \"y\", \"g\": \"z\"}\n"
                      "{\"t\": \"b\", \"q\": \"x\", \"r\": \"y\", \"g\": \"z\"}\n");
  GenericMapping m;
  m.benchmark = "b";
  m.task_pointer = "/t";
  m.input_pointer = "/q";
  m.response_pointer = "/r";
  m.target_pointer = "/g";
  RecordingSink sink;
  import_generic({tmp / "o.jsonl"}, m, RunInfo{}, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 2u);
  EXPECT_EQ(sink.items[0].item.task, "a");
  EXPECT_EQ(sink.items[1].item.task, "b");
}

TEST(GenericImporter, MappingThatCannotWorkIsAUsageError) {
  GenericMapping m;
  m.benchmark = "b";
  m.input_pointer = "/q";
  m.target_pointer = "/g";
  auto kind_of = [](const GenericMapping& mapping) {
    try {
      validate_generic_mapping(mapping);
    } catch (const Error& e) {
      return e.kind();
    }
    return ErrorKind::kInternal;  // no error
  };
  EXPECT_EQ(kind_of(m), ErrorKind::kUsage);  // neither response nor responses
  m.response_pointer = "/r";
  EXPECT_EQ(kind_of(m), ErrorKind::kInternal);
  m.responses_pointer = "/rs";
  EXPECT_EQ(kind_of(m), ErrorKind::kUsage);  // both
  m.responses_pointer.reset();
  m.task_file_regex = "^(.*_broken";
  EXPECT_EQ(kind_of(m), ErrorKind::kUsage);
  m.task_file_regex = "^no_group$";
  EXPECT_EQ(kind_of(m), ErrorKind::kUsage);
  m.task_file_regex.reset();
  m.input_pointer = "q";  // not a JSON pointer
  EXPECT_EQ(kind_of(m), ErrorKind::kUsage);
}

TEST(GenericImporter, CompressedJsonLinesAreReadLikePlainOnes) {
  // A gzip stream of the two lines {"q":"x","r":"y","g":1} and {"q":"x2","r":"y2","g":2}, made with Python's
  // gzip.compress(mtime=0).
  const unsigned char kGz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0x2a, 0x54,
                               0xb2, 0x52, 0xaa, 0x50, 0xd2, 0x51, 0x2a, 0x02, 0xd2, 0x95, 0x40, 0x3a, 0x5d, 0xc9,
                               0xca, 0xb0, 0x96, 0xab, 0x1a, 0x22, 0x6e, 0x04, 0x93, 0x30, 0x82, 0xc8, 0x18, 0xd5,
                               0x72, 0x01, 0x00, 0x19, 0x6a, 0x88, 0x41, 0x32, 0x00, 0x00, 0x00};
  testing::TempDir tmp;
  testing::write_file(tmp / "o.jsonl.gz", std::string(reinterpret_cast<const char*>(kGz), sizeof kGz));
  GenericMapping m;
  m.benchmark = "b";
  m.input_pointer = "/q";
  m.response_pointer = "/r";
  m.target_pointer = "/g";
  RecordingSink sink;
  import_generic({tmp / "o.jsonl.gz"}, m, RunInfo{}, sink, nullptr);
  ASSERT_EQ(sink.items.size(), 2u);
  EXPECT_EQ(sink.items[1].item.prompt, "x2");
  EXPECT_EQ(sink.items[1].item.reference, "2");
  EXPECT_EQ(sink.items[1].item.origin.line, 2);
}

}  // namespace
}  // namespace caploop
