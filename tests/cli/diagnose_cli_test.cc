// `caploop diagnose` and `caploop weaknesses` as outside checks call them, on real BBH outputs of
// code-davinci-002 and a candidate derived from them that keeps generating after its answer (as a model
// whose end-of-sequence loss was masked does).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <set>

#include "core/json_writer.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::bbh_outputs_ingest_args;
using testing::run_caploop;
using testing::shared_data_dir;
using testing::TempDir;
using testing::write_file;

const std::vector<std::string> kTasks = {"date_understanding",   "navigate",    "object_counting",
                                         "sports_understanding", "web_of_lies", "boolean_expressions"};

std::string last_question(std::string_view prompt) {
  size_t q = prompt.rfind("\n\nQ: ");
  std::string_view s = q == std::string_view::npos ? prompt : prompt.substr(q + 2);
  size_t a = s.rfind("\nA:");
  return std::string(a == std::string_view::npos ? s : s.substr(0, a));
}

// Writes the task file as is (runaway=false) or with every prediction running on into a new turn whose
// answer differs from the original one.
void write_variant(const fs::path& src, const fs::path& dst, bool runaway) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(src.string());
  auto outputs = doc["outputs"].get_array();
  std::vector<simdjson::dom::element> recs(outputs.begin(), outputs.end());
  JsonWriter w;
  w.begin_object().key("outputs").begin_array();
  for (size_t i = 0; i < recs.size(); ++i) {
    std::string pred(std::string_view(recs[i]["prediction"]));
    std::string target(std::string_view(recs[i]["target"]));
    if (runaway) {
      const auto& next = recs[(i + 1) % recs.size()];
      std::string next_pred{std::string_view(next["prediction"])};
      std::string reasoning = next_pred.substr(0, next_pred.find("So the answer is"));
      std::string other = target == std::string(std::string_view(next["target"]))
                              ? "(Z)"
                              : std::string(std::string_view(next["target"]));
      pred += "\n\nQ: " + last_question(std::string_view(next["input"])).substr(3) +
              "\nA: Let's think step by step.\n" + reasoning + "So the answer is " + other + ".\n\nQ: Today is";
    }
    w.begin_object()
        .field("input", std::string_view(recs[i]["input"]))
        .field("prediction", pred)
        .field("target", target)
        .end_object();
  }
  w.end_array().end_object();
  write_file(dst, w.str());
}

std::vector<std::string> ingest_args(const std::string& db, const std::string& run, const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& t : kTasks) files.push_back(dir / (t + "_few_shot_template_0-255000.json"));
  return bbh_outputs_ingest_args(db, run, files);
}

class DiagnoseCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_shared_data()) GTEST_SKIP() << "no ../shared/data";
    fs::path src = shared_data_dir() / "bbh" / "code-davinci-002-outputs" / "code-davinci-002-cot";
    for (const auto& t : kTasks) {
      std::string name = t + "_few_shot_template_0-255000.json";
      write_variant(src / name, tmp_ / "base" / name, false);
      write_variant(src / name, tmp_ / "runaway" / name, true);
    }
    db_ = (tmp_ / "w.db").string();
    ASSERT_EQ(run_caploop(ingest_args(db_, "base", tmp_ / "base")).exit_code, 0);
    auto r = run_caploop(ingest_args(db_, "runaway", tmp_ / "runaway"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  TempDir tmp_;
  std::string db_;
};

TEST_F(DiagnoseCliTest, RunawayCandidateRulesDataOutWithCauseTermination) {
  auto r = run_caploop({"--db", db_, "diagnose", "--baseline", "base", "--candidate", "runaway", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element d = parser.parse(simdjson::padded_string(r.out));
  EXPECT_EQ(std::string_view(d["verdict"]), "data_ruled_out") << r.out.substr(0, 2000);
  EXPECT_EQ(std::string_view(d["cause"]), "termination");
  EXPECT_TRUE(d["evidence"].is_object());
  EXPECT_TRUE(d["slices"].is_array());
  // the BBH reference rule loses tens of points on the runaway candidate
  auto s = run_caploop({"--db", db_, "summary", "--run", "runaway", "--json"});
  auto b = run_caploop({"--db", db_, "summary", "--run", "base", "--json"});
  simdjson::dom::parser p1, p2;
  double cand = double(p1.parse(simdjson::padded_string(s.out))["benchmarks"].at(0)["accuracy"]);
  double base = double(p2.parse(simdjson::padded_string(b.out))["benchmarks"].at(0)["accuracy"]);
  EXPECT_GT(base - cand, 0.2) << base << " -> " << cand;
}

TEST_F(DiagnoseCliTest, WeaknessesJsonHasTheDocumentedShape) {
  auto r = run_caploop({"--db", db_, "weaknesses", "--run", "runaway", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(r.out));
  auto list = doc["weaknesses"].get_array();
  for (auto w : list) {
    EXPECT_TRUE(w["tags"].is_array());
    EXPECT_TRUE(w["n"].is_int64());
    EXPECT_TRUE(w["accuracy"].is_double() || w["accuracy"].is_int64());
    EXPECT_EQ(w["ci"].get_array().size(), 2u);
    EXPECT_TRUE(w["q_value"].is_double() || w["q_value"].is_int64());
    for (auto item : w["items"].get_array()) {
      std::string_view key = item;
      std::string task(key.substr(0, key.find(':')));
      EXPECT_NE(std::find(kTasks.begin(), kTasks.end(), task), kTasks.end()) << key;
    }
  }
}

}  // namespace
}  // namespace caploop
