// The compact store (schema 3): texts stored once by content across runs, compression that gives back every byte,
// failed writes that leave nothing behind (texts and dictionaries included).
#include <gtest/gtest.h>

#include <random>

#include "store/item_lookup.h"
#include "store/response_reader.h"
#include "store/run_writer.h"
#include "store/sqlite.h"
#include "store/text_codec.h"
#include "store/text_store.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::TempDir;

int64_t count(WorkspaceDb& ws, const char* table) {
  Statement st(ws.db(), (std::string("SELECT count(*) FROM ") + table).c_str());
  st.step();
  return st.int64(0);
}

// A BBH-like few-shot prompt: the same exemplars before each question.
std::string few_shot_prompt(int question) {
  std::string shots;
  for (int i = 0; i < 3; ++i) {
    shots +=
        "Q: Today is Christmas Eve of 1937. What is the date 10 days ago in MM/DD/YYYY?\nOptions:\n(A) 12/14/2026\n"
        "(B) 12/14/1950\n(C) 12/14/2007\n(D) 12/14/1937\nA: Let's think step by step. If today is Christmas Eve "
        "of 1937, then today's date is December 24, 1937. 10 days before today is December 14, 1937, that is "
        "12/14/1937. So the answer is (D).\n\n";
  }
  return shots + "Q: question number " + std::to_string(question) + "?\nA: Let's think step by step.";
}

ItemRecord item(int i) {
  ItemRecord it;
  it.benchmark = "bbh";
  it.task = "date_understanding";
  it.source_id = std::to_string(i);
  it.prompt = few_shot_prompt(i % 4);  // four distinct prompts among the items
  it.question = "question number " + std::to_string(i % 4) + "?";
  it.reference = "(D)";
  it.origin = {"samples.jsonl", i + 1, ""};
  return it;
}

std::vector<ResponseRecord> responses(int i, const std::string& run) {
  ResponseRecord r;
  r.text = "Let's think step by step. Run " + run + " thinks about question " + std::to_string(i) +
           " for a while, and after a long chain of reasoning decides. So the answer is (D).";
  return {r};
}

void write_run(WorkspaceDb& ws, const std::string& name, int n_items) {
  Transaction tx(ws.db());
  RunWriter w(ws, false);
  RunInfo info;
  info.name = name;
  w.begin_run(info);
  for (int i = 0; i < n_items; ++i) w.add_item(item(i), responses(i, name));
  tx.commit();
}

TEST(CompactStoreTest, EachTextIsStoredOnceAcrossItemsAndRuns) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "a", 40);
  // 4 prompts + 4 questions + 1 reference + 1 metadata ("{}"), whatever the 40 items
  EXPECT_EQ(count(ws, "texts"), 10);
  EXPECT_EQ(count(ws, "dictionaries"), 1);
  write_run(ws, "b", 40);
  EXPECT_EQ(count(ws, "texts"), 10);  // the second run over the same prompts adds no text
  EXPECT_EQ(count(ws, "stored_responses"), 80);
  EXPECT_EQ(count(ws, "stored_run_items"), 80);
  // Read back through the views, byte for byte.
  auto found = find_items(ws, "5", std::nullopt, std::nullopt);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].question, "question number 1?");
  auto runs = responses_for_item(ws, found[0].id, "bbh");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].prompt, few_shot_prompt(1));
  EXPECT_EQ(runs[1].responses.at(0).text, responses(5, "b")[0].text);
  // Deleting a run keeps the texts the other run still uses.
  {
    Transaction tx(ws.db());
    ws.delete_run(ws.run_or_throw("a").id);
    tx.commit();
  }
  EXPECT_EQ(count(ws, "texts"), 10);
  EXPECT_EQ(responses_for_item(ws, found[0].id, "bbh").at(0).prompt, few_shot_prompt(1));
}

TEST(CompactStoreTest, TheStoredFormIsSmallerThanTheText) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "a", 40);
  Statement st(ws.db(), "SELECT sum(length(body)), sum(caploop_text_size(body)) FROM texts");
  ASSERT_TRUE(st.step());
  // the prompts share the task dictionary's exemplars: their frames hold little more than the question
  EXPECT_LT(st.int64(0) * 4, st.int64(1));
}

TEST(CompactStoreTest, CompressionGivesBackEveryByte) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  std::mt19937 rng(7);
  std::vector<std::string> texts = {"",
                                    "x",
                                    std::string(1000, 'a'),
                                    "caf\xc3\xa9 \xff\xfe invalid \xc3 utf-8",
                                    std::string("nul\0inside", 10),
                                    few_shot_prompt(3)};
  std::string noise(5000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  texts.push_back(noise);
  std::string invalid_long;
  for (int i = 0; i < 200; ++i) invalid_long += "So the answer is \x80\xbf (B).\n";
  texts.push_back(invalid_long);
  Transaction tx(ws.db());
  TextStore store(ws);
  int64_t dictionary = store.create_task_dictionary("bbh", "t", few_shot_prompt(0));
  for (int64_t d : {int64_t{0}, dictionary}) {
    for (const auto& t : texts) {
      TextCodec::Encoded e = ws.codec().encode(t, d);
      std::string body(e.body);
      EXPECT_EQ(ws.codec().decode(body, e.raw, d), t);
      EXPECT_EQ(ws.codec().decoded_size(body, e.raw), static_cast<int64_t>(t.size()));
    }
  }
  for (const auto& t : texts) EXPECT_EQ(store.read(store.intern(t, dictionary)), t);
  // and through a run: responses with invalid UTF-8 and empty ones come back unchanged
  RunWriter w(ws, false);
  RunInfo info;
  info.name = "r";
  w.begin_run(info);
  for (size_t i = 0; i < texts.size(); ++i) {
    ResponseRecord r;
    r.text = texts[i];
    ItemRecord it = item(static_cast<int>(i));
    w.add_item(it, {r});
  }
  tx.commit();
  ResponseReader reader(ws, ws.run_or_throw("r").id);
  std::vector<ResponseRow> rows;
  ASSERT_TRUE(reader.next_batch(rows));
  ASSERT_EQ(rows.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(rows[i].text, texts[i]) << i;
}

TEST(CompactStoreTest, AFailedRunLeavesNoTextNoDictionaryNoRow) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "a", 4);
  const char* tables[] = {"texts", "dictionaries", "stored_items", "stored_run_items", "stored_responses", "runs"};
  std::vector<int64_t> before;
  for (const char* t : tables) before.push_back(count(ws, t));
  try {
    Transaction tx(ws.db());
    RunWriter w(ws, false);
    RunInfo info;
    info.name = "b";
    w.begin_run(info);
    ItemRecord other = item(1);
    other.task = "navigate";  // a new task: a new dictionary
    other.prompt = "a prompt never seen before, long enough to be compressed with the new dictionary of its task";
    other.source_id = "new";
    w.add_item(other, responses(1, "b"));
    w.add_item(other, responses(1, "b"));  // the same item twice in one run: kInput
    tx.commit();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
  }
  for (size_t i = 0; i < std::size(tables); ++i) EXPECT_EQ(count(ws, tables[i]), before[i]) << tables[i];
  // The codec forgot nothing it should not: the next run reuses the ids and reads back right.
  write_run(ws, "c", 4);
  auto found = find_items(ws, "2", std::nullopt, std::nullopt);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(responses_for_item(ws, found[0].id, "bbh").back().responses.at(0).text, responses(2, "c")[0].text);
}

}  // namespace
}  // namespace caploop
