// Item identity when content hashes cannot decide: the question text does (store/item_identity.h), so that two
// harnesses numbering the same benchmark differently (Inspect from 1, lm-eval from 0) are never merged.
#include "store/item_identity.h"

#include <gtest/gtest.h>

#include "io/inspect_logs.h"
#include "store/run_writer.h"
#include "store/sqlite.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::TempDir;

// GSM8K test questions 0 and 1 (openai/grade-school-math, MIT; ../shared/data/gsm8k/test.jsonl).
const char* kJanet =
    "Janet\xE2\x80\x99s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for "
    "her friends every day with four. She sells the remainder at the farmers' market daily for $2 per fresh duck "
    "egg. How much in dollars does she make every day at the farmers' market?";
const char* kRobe =
    "A robe takes 2 bolts of blue fiber and half that much white fiber.  How many bolts in total does it take?";

TEST(ItemIdentity, WhiteSpaceAndJsonPromptsAreNormalised) {
  EXPECT_EQ(normalized_item_content("  a\n\tb   c \n"), "a b c");
  EXPECT_EQ(normalized_item_content(R"([{"role":"HUMAN","prompt":"Question: two\nlines"}])"),
            "HUMAN Question: two lines");
  EXPECT_EQ(normalized_item_content("[not json"), "[not json");
  EXPECT_TRUE(same_item_content(kRobe,
                                "A robe takes 2 bolts of blue fiber and half that much white fiber. How many "
                                "bolts in total does it take?"));
  // A few-shot prompt holds the question; a chat prompt kept as JSON too.
  EXPECT_TRUE(same_item_content(kRobe, std::string("Q: 1+1?\nA: 2\n\nQ: ") + kRobe + "\nA:"));
  EXPECT_TRUE(same_item_content(R"([{"role":"HUMAN","prompt":"Question: A robe takes 2 bolts of blue fiber and half )"
                                R"(that much white fiber.\nHow many bolts in total does it take?\nAnswer:"}])",
                                kRobe));
  EXPECT_FALSE(same_item_content(kJanet, kRobe));
  EXPECT_TRUE(same_item_content("", kRobe));  // nothing to compare with: cannot decide
}

ItemRecord gsm8k_item(const std::string& id, const std::string& question, const std::string& hash) {
  ItemRecord it;
  it.benchmark = it.task = "gsm8k";
  it.source_id = id;
  it.question = question;
  it.prompt = "Q: " + question + "\nA:";
  it.reference = "18";
  it.content_hash = hash;
  it.origin = {hash.empty() ? "gsm8k.eval/samples/1_epoch_1.json" : "samples_gsm8k.jsonl", hash.empty() ? 0 : 2, ""};
  return it;
}

void write_run(WorkspaceDb& ws, const std::string& name, const std::string& harness,
               const std::vector<ItemRecord>& items) {
  Transaction tx(ws.db());
  RunWriter w(ws, false);
  RunInfo info;
  info.name = name;
  info.harness = harness;
  w.begin_run(info);
  for (const auto& it : items) w.add_item(it, {ResponseRecord{}});
  tx.commit();
}

int64_t count(WorkspaceDb& ws, const char* sql) {
  Statement st(ws.db(), sql);
  EXPECT_TRUE(st.step());
  return st.int64(0);
}

TEST(ItemIdentity, ADifferentQuestionUnderTheSameIdFromAnotherSourceIsRefused) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "lm", "lm-eval", {gsm8k_item("0", kJanet, "h0"), gsm8k_item("1", kRobe, "h1")});
  // Inspect's id 1 is lm-eval's doc 0.
  Error e = testing::expect_error([&] { write_run(ws, "ins", "inspect", {gsm8k_item("1", kJanet, "")}); });
  EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  EXPECT_NE(e.message().find("run 'lm' (lm-eval)"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("\"Janet"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("\"A robe takes"), std::string::npos) << e.message();
  EXPECT_EQ(e.where().file, "gsm8k.eval/samples/1_epoch_1.json");
  EXPECT_EQ(count(ws, "SELECT COUNT(*) FROM runs"), 1);  // nothing of the refused run is left
  EXPECT_EQ(count(ws, "SELECT COUNT(*) FROM items"), 2);
}

TEST(ItemIdentity, TheSameQuestionFromAnotherSourceIsOneItem) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "lm", "lm-eval", {gsm8k_item("1", kRobe, "h1")});
  ItemRecord spaced = gsm8k_item("1",
                                 "  A robe takes 2 bolts of blue fiber and half that much white fiber.\nHow many "
                                 "bolts in total does it take?",
                                 "");
  write_run(ws, "other", "generic", {spaced});
  ItemRecord prompt_only = gsm8k_item("1", "", "");
  prompt_only.prompt = std::string("Question: ") + kRobe + "\nLet's think step by step\nAnswer:";
  write_run(ws, "oc", "opencompass", {prompt_only});
  EXPECT_EQ(count(ws, "SELECT COUNT(*) FROM items"), 1);
  EXPECT_EQ(count(ws, "SELECT COUNT(*) FROM run_items"), 3);
}

TEST(ItemIdentity, TwoPromptsWithoutQuestionsCannotDecide) {
  // A chain-of-thought and a direct few-shot prompt of one BBH question differ in their examples: one item.
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  ItemRecord cot = gsm8k_item("0", "", "");
  cot.prompt = std::string("Q: 1+1?\nA: Let's think step by step. 1+1=2. So the answer is 2.\n\nQ: ") + kRobe;
  ItemRecord direct = cot;
  direct.prompt = std::string("Q: 1+1?\nA: 2\n\nQ: ") + kRobe;
  write_run(ws, "cot", "generic", {cot});
  write_run(ws, "direct", "generic", {direct});
  EXPECT_EQ(count(ws, "SELECT COUNT(*) FROM items"), 1);
  // A run that gives the question apart is compared with the stored prompt: Janet is not in it.
  Error e = testing::expect_error([&] { write_run(ws, "q", "lm-eval", {gsm8k_item("0", kJanet, "h0")}); });
  EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  write_run(ws, "q", "lm-eval", {gsm8k_item("0", kRobe, "h0")});
  EXPECT_EQ(count(ws, "SELECT COUNT(*) FROM items"), 1);
}

TEST(ItemIdentity, InspectLogAfterLmEvalFolderIsRefusedByTheProgram) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  std::string db = (tmp / "w.db").string();
  auto lm = testing::run_caploop({"--db", db, "-q", "ingest", "--run", "lm", "--format", "lm-eval",
                                  (testing::fixtures_dir() / "lm_eval" / "v04_gsm8k").string()});
  ASSERT_EQ(lm.exit_code, 0) << lm.err;
  auto ins = testing::run_caploop({"--db", db, "-q", "ingest", "--run", "ins", "--format", "inspect",
                                   (testing::inspect_logs_dir() / "gsm8k_epochs1_deflate.eval").string()});
  EXPECT_EQ(ins.exit_code, 5) << ins.err;
  EXPECT_NE(ins.err.find("stored by run 'lm' (lm-eval)"), std::string::npos) << ins.err;
  auto runs = testing::run_caploop({"--db", db, "runs", "--json"});
  EXPECT_EQ(runs.out.find("\"ins\""), std::string::npos) << runs.out;
}

}  // namespace
}  // namespace caploop
