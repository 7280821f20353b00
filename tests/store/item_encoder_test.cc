// ItemEncoder: the stored form it makes on the importer's thread is the one the writer would have made itself:
// frames that decode to the response, the same frame for the same bytes (reused, not compressed again), and a new
// task's dictionary numbered after the workspace's as SQLite numbers an insert.
#include "store/item_encoder.h"

#include <gtest/gtest.h>

#include "store/run_writer.h"
#include "store/sqlite.h"
#include "store/text_store.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::TempDir;

ItemRecord item(const std::string& task, int i) {
  ItemRecord it;
  it.benchmark = "bbh";
  it.task = task;
  it.source_id = std::to_string(i);
  it.prompt =
      "Q: Is the following sentence plausible? \"Joao Moutinho caught the screen pass in the NFC "
      "championship.\"\nA: Let's think step by step.";
  it.reference = "no";
  it.origin = {"samples.jsonl", i + 1, ""};
  return it;
}

RunInfo run(const std::string& name) {
  RunInfo r;
  r.name = name;
  return r;
}

ResponseRecord response(std::string text) {
  ResponseRecord r;
  r.text = std::move(text);
  return r;
}

const char* kLongAnswer =
    "Joao Moutinho is a soccer player. Being part of the NFC championship is part of American football, not soccer. "
    "So the answer is no.";

TEST(ItemEncoderTest, SameBytesGiveTheSameFrameThatDecodesBack) {
  TempDir dir;
  WorkspaceDb ws((dir / "w.db").string(), true);
  ItemEncoder encoder(ws);
  EncodedItem first = encoder.encode(item("sports_understanding", 0), {response(kLongAnswer)});
  EncodedItem second = encoder.encode(item("sports_understanding", 1), {response(kLongAnswer)});
  ASSERT_FALSE(first.new_dictionary.empty());  // the task's first item makes its dictionary
  EXPECT_TRUE(second.new_dictionary.empty());
  EXPECT_EQ(first.dictionary, second.dictionary);
  ASSERT_EQ(first.bodies.size(), 1u);
  ASSERT_FALSE(first.bodies[0].raw);
  EXPECT_EQ(first.bodies[0].body, second.bodies[0].body);
  // The workspace's own codec, given the dictionary the writer stores, reads it back.
  ws.codec().add_dictionary(first.dictionary, first.new_dictionary);
  EXPECT_EQ(ws.codec().decode(second.bodies[0].body, false, second.dictionary), kLongAnswer);
  // And it is the frame the workspace's codec makes for those bytes.
  TextCodec::Encoded direct = ws.codec().encode(kLongAnswer, first.dictionary);
  EXPECT_EQ(std::string(direct.body), first.bodies[0].body);
  // Short texts stay as they are.
  EncodedItem short_answer = encoder.encode(item("sports_understanding", 2), {response("no")});
  EXPECT_TRUE(short_answer.bodies[0].raw);
  EXPECT_EQ(short_answer.bodies[0].body, "no");
}

TEST(ItemEncoderTest, NewDictionariesAreNumberedAfterTheWorkspacesAndStoredWithThatId) {
  TempDir dir;
  WorkspaceDb ws((dir / "w.db").string(), true);
  {
    Transaction tx(ws.db());
    RunWriter w(ws, false);
    w.begin_run(run("first"));
    w.add_item(item("sports_understanding", 0), {response(kLongAnswer)});
    w.add_item(item("navigate", 0), {response(kLongAnswer)});
    tx.commit();
  }
  Transaction tx(ws.db());
  RunWriter w(ws, false);
  EncodedItem known = w.encoder().encode(item("navigate", 1), {response(kLongAnswer)});
  EncodedItem fresh = w.encoder().encode(item("snarks", 0), {response(kLongAnswer)});
  EXPECT_TRUE(known.new_dictionary.empty());
  EXPECT_FALSE(fresh.new_dictionary.empty());
  Statement ids(ws.db(), "SELECT id FROM dictionaries WHERE task = ?");
  ids.bind(1, std::string_view("navigate"));
  ASSERT_TRUE(ids.step());
  EXPECT_EQ(known.dictionary, ids.int64(0));
  ids.reset();
  Statement max_id(ws.db(), "SELECT max(id) FROM dictionaries");
  ASSERT_TRUE(max_id.step());
  EXPECT_EQ(fresh.dictionary, max_id.int64(0) + 1);
  max_id.reset();
  w.begin_run(run("second"));
  w.add_encoded(std::move(known));
  w.add_encoded(std::move(fresh));
  tx.commit();
  ids.bind(1, std::string_view("snarks"));
  ASSERT_TRUE(ids.step());
  EXPECT_EQ(ids.int64(0), 3);
  // Both responses of the second run read back through the responses view.
  Statement texts(
      ws.db(), "SELECT text FROM responses r JOIN runs ON runs.id = r.run_id WHERE runs.name = 'second' ORDER BY r.id");
  int n = 0;
  while (texts.step()) {
    EXPECT_EQ(texts.str(0), kLongAnswer);
    ++n;
  }
  EXPECT_EQ(n, 2);
}

}  // namespace
}  // namespace caploop
