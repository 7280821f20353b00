#include "store/run_writer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "store/harness_metrics.h"
#include "store/item_lookup.h"
#include "store/response_reader.h"
#include "store/sqlite.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::TempDir;

ItemRecord make_item(std::string id, std::string hash = "") {
  ItemRecord it;
  it.benchmark = "bbh";
  it.task = "date_understanding";
  it.source_id = std::move(id);
  it.prompt = "Q: what day? A:";
  it.reference = "(B)";
  it.content_hash = std::move(hash);
  it.origin = {"samples.jsonl", 7, ""};
  return it;
}

std::vector<ResponseRecord> two_samples() {
  ResponseRecord a;
  a.sample_index = 0;
  a.text = "So the answer is (B).";
  a.filtered = {{"strict-match", "(B)"}, {"flexible-extract", "(B)"}};
  ResponseRecord b;
  b.sample_index = 1;
  b.text = "So the answer is (C).\n\nQ: next";
  b.finish_reason = "length";
  b.n_tokens = 256;
  return {a, b};
}

void write_run(WorkspaceDb& ws, const std::string& name, const std::vector<ItemRecord>& items, bool replace = false) {
  Transaction tx(ws.db());
  RunWriter w(ws, replace);
  RunInfo info;
  info.name = name;
  info.harness = "lm-eval";
  info.generation.max_new_tokens = 256;
  info.generation.stop_sequences = {"\n\nQ:", "</s>"};
  w.begin_run(info);
  for (const auto& it : items) w.add_item(it, two_samples());
  tx.commit();
}

TEST(RunWriterTest, StoresRunItemsResponsesAndFilters) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "base", {make_item("0"), make_item("1")});
  auto run = ws.run_or_throw("base");
  EXPECT_EQ(run.n_items, 2);
  EXPECT_EQ(run.n_responses, 4);
  ASSERT_EQ(run.info.generation.stop_sequences.size(), 2u);
  EXPECT_EQ(run.info.generation.stop_sequences[0], "\n\nQ:");
  EXPECT_EQ(*run.info.generation.max_new_tokens, 256);

  ResponseReader reader(ws, run.id, 3);
  std::vector<ResponseRow> batch;
  size_t total = 0;
  while (reader.next_batch(batch)) total += batch.size();
  EXPECT_EQ(total, 4u);

  auto items = find_items(ws, "1", std::string("date_understanding"), std::nullopt);
  ASSERT_EQ(items.size(), 1u);
  auto runs = responses_for_item(ws, items[0].id, "bbh");
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_EQ(runs[0].responses.size(), 2u);
  EXPECT_EQ(runs[0].responses[0].filtered.size(), 2u);
  EXPECT_EQ(runs[0].responses[1].text, "So the answer is (C).\n\nQ: next");  // raw text kept byte for byte
  EXPECT_EQ(*runs[0].responses[1].finish_reason, "length");
}

TEST(RunWriterTest, SameIdentityIsSharedAcrossRuns) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "a", {make_item("0", "h1")});
  write_run(ws, "b", {make_item("0", "h1")});
  auto items = find_items(ws, "0", std::nullopt, std::nullopt);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(responses_for_item(ws, items[0].id, "bbh").size(), 2u);
}

TEST(RunWriterTest, DifferentContentUnderSameIdentityIsAConflictAndWritesNothing) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "a", {make_item("0", "h1")});
  try {
    write_run(ws, "b", {make_item("1", "h9"), make_item("0", "h2")});
    FAIL() << "expected a conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
    std::string msg = e.what();
    EXPECT_NE(msg.find("samples.jsonl:7"), std::string::npos) << msg;
    EXPECT_NE(msg.find("run 'a'"), std::string::npos) << msg;
  }
  EXPECT_FALSE(ws.find_run("b").has_value());
  EXPECT_TRUE(find_items(ws, "1", std::nullopt, std::nullopt).empty());  // rolled back
}

TEST(RunWriterTest, ExistingRunNeedsReplace) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "a", {make_item("0")});
  try {
    write_run(ws, "a", {make_item("0")});
    FAIL() << "expected a conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  }
  write_run(ws, "a", {make_item("0"), make_item("1")}, /*replace=*/true);
  EXPECT_EQ(ws.run_or_throw("a").n_items, 2);
}

TEST(RunWriterTest, DuplicateItemInOneRunIsAnInputError) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  EXPECT_THROW(write_run(ws, "a", {make_item("0"), make_item("0")}), Error);
  EXPECT_FALSE(ws.find_run("a").has_value());
}

TEST(WorkspaceDbTest, RefusesForeignDatabasesAndNewerSchemas) {
  TempDir tmp;
  {
    Database db((tmp / "other.db").string(), true);
    db.exec("CREATE TABLE t(x)");
  }
  EXPECT_THROW(WorkspaceDb((tmp / "other.db").string(), false), Error);
  {
    WorkspaceDb ws((tmp / "w.db").string(), true);
    ws.db().exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  }
  try {
    WorkspaceDb again((tmp / "w.db").string(), false);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kStore);
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos);
  }
  EXPECT_THROW(WorkspaceDb((tmp / "missing.db").string(), false), Error);
}

TEST(WorkspaceDbTest, UnknownRunListsKnownOnes) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  write_run(ws, "alpha", {make_item("0")});
  try {
    ws.run_or_throw("beta");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(e.what()).find("alpha"), std::string::npos);
  }
}

TEST(HarnessMetricsTest, PerRecordMetricsAndAggregatesRoundTripAndLeaveWithTheRun) {
  TempDir tmp;
  WorkspaceDb ws((tmp / "w.db").string(), true);
  RunInfo info;
  info.name = "h";
  info.harness = "lm-eval";
  info.harness_aggregates = {{"gsm8k", "gsm8k", "exact_match,strict-match", 0.526, 0.0137},
                             {"gsm8k", "gsm8k", "exact_match,flexible-extract", 0.563, std::nullopt}};
  auto responses = two_samples();
  responses[0].harness_metrics = {{"exact_match,strict-match", 1.0}, {"bleu,none", std::nan("")}};
  {
    Transaction tx(ws.db());
    RunWriter w(ws, false);
    w.begin_run(info);
    w.add_item(make_item("0"), responses);
    tx.commit();
  }
  int64_t run_id = ws.run_or_throw("h").id;
  auto metrics = read_harness_metrics(ws, run_id);
  ASSERT_EQ(metrics.size(), 1u);
  const auto& values = metrics.begin()->second;
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].first, "exact_match,strict-match");
  EXPECT_EQ(values[0].second, 1.0);
  EXPECT_EQ(values[1].first, "bleu,none");
  EXPECT_TRUE(std::isnan(values[1].second));
  auto aggregates = read_harness_aggregates(ws, run_id);
  ASSERT_EQ(aggregates.size(), 2u);
  EXPECT_EQ(aggregates[0].metric, "exact_match,flexible-extract");  // ordered by metric
  EXPECT_FALSE(aggregates[0].stderr_value.has_value());
  EXPECT_DOUBLE_EQ(aggregates[1].value, 0.526);
  EXPECT_DOUBLE_EQ(*aggregates[1].stderr_value, 0.0137);
  {
    Transaction tx(ws.db());
    ws.delete_run(run_id);
    tx.commit();
  }
  Statement left(ws.db(), "SELECT (SELECT count(*) FROM harness_metrics) + (SELECT count(*) FROM harness_aggregates)");
  ASSERT_TRUE(left.step());
  EXPECT_EQ(left.int64(0), 0);
}

}  // namespace
}  // namespace caploop
