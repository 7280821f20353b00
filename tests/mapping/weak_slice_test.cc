// read_weak_slices on real diagnosis and weakness-list files written by the caploop binary (real_weak_files.h),
// and its errors on malformed files.
#include "mapping/weak_slice.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>

#include "core/error.h"
#include "core/fnv1a.h"
#include "mapping/real_weak_files.h"
#include "test_support.h"

namespace caploop {
namespace {

const testing::RealWeakFiles& files() {
  const testing::RealWeakFiles* f = testing::real_weak_files();
  if (f == nullptr) throw std::runtime_error("no shared data");
  return *f;
}

std::string task_of(const std::string& item) { return item.substr(0, item.find(':')); }

bool all_items_in_task(const WeakSlice& s, const std::string& task) {
  return !s.items.empty() &&
         std::all_of(s.items.begin(), s.items.end(), [&](const std::string& i) { return task_of(i) == task; });
}

bool has_tag(const WeakSlice& s, const std::string& tag) {
  if (std::find(s.tags.begin(), s.tags.end(), tag) != s.tags.end()) return true;
  for (const auto& set : s.equivalent) {
    if (std::find(set.begin(), set.end(), tag) != set.end()) return true;
  }
  return false;
}

TEST(WeakSlices, RealDiagnosisGivesTheRegressedSlicesInFileOrder) {
  REQUIRE_SHARED_DATA();
  const std::string path = files().diagnosis.string();
  WeakSliceList list = read_weak_slices(path);
  EXPECT_EQ(list.source.kind, "diagnosis");
  EXPECT_EQ(list.source.verdict, Verdict::kDataRuledIn);
  EXPECT_FALSE(list.source.cause.has_value());
  EXPECT_EQ(list.source.baseline, "base");
  EXPECT_EQ(list.source.candidate, "cand");
  EXPECT_EQ(list.source.file, path);
  EXPECT_EQ(list.source.checksum, fmt::format("{:016x}", fnv1a64(testing::read_file(path))));

  // Independent reading of the same file: slice order, tags, n, items, delta.
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(path);
  simdjson::dom::array slices = doc["slices"].get_array();
  ASSERT_EQ(list.slices.size(), slices.size());
  ASSERT_GE(list.slices.size(), 2u);
  size_t i = 0;
  for (simdjson::dom::element s : slices) {
    const WeakSlice& w = list.slices[i];
    EXPECT_EQ(w.id, "S" + std::to_string(i + 1));
    EXPECT_EQ(w.tags.front(), std::string(std::string_view(s["tags"].at(0))));
    EXPECT_EQ(w.n, int64_t(s["n"]));
    EXPECT_EQ(static_cast<int64_t>(w.items.size()), w.n);
    EXPECT_DOUBLE_EQ(w.severity, -double(s["delta"]));
    EXPECT_DOUBLE_EQ(w.baseline_accuracy, double(s["cand_accuracy"]));
    EXPECT_EQ(w.equivalent.size(), s["equivalent"].get_array().size());
    ++i;
  }
  // The candidate answers 3 of 4 date_understanding items wrongly (the baseline gets about 90% right), so that
  // slice lost more than half its accuracy and keeps at most about a quarter.
  auto date = std::find_if(list.slices.begin(), list.slices.end(),
                           [](const WeakSlice& s) { return all_items_in_task(s, "date_understanding"); });
  ASSERT_NE(date, list.slices.end());
  EXPECT_EQ(date->n, 250);
  EXPECT_GT(date->severity, 0.5);
  EXPECT_LT(date->baseline_accuracy, 0.3);
  EXPECT_LT(date->q_value, 1e-6);
  EXPECT_TRUE(has_tag(*date, "operation=temporal.date_arithmetic"));
  auto counting = std::find_if(list.slices.begin(), list.slices.end(),
                               [](const WeakSlice& s) { return all_items_in_task(s, "object_counting"); });
  ASSERT_NE(counting, list.slices.end());
  EXPECT_TRUE(has_tag(*counting, "operation=counting.object_counting"));
}

TEST(WeakSlices, RealWeaknessListUsesDeficitAndAccuracy) {
  REQUIRE_SHARED_DATA();
  const std::string path = files().weaknesses.string();
  WeakSliceList list = read_weak_slices(path);
  EXPECT_EQ(list.source.kind, "weaknesses");
  EXPECT_FALSE(list.source.verdict.has_value());
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(path);
  simdjson::dom::array weaknesses = doc["weaknesses"].get_array();
  ASSERT_EQ(list.slices.size(), weaknesses.size());
  ASSERT_GE(list.slices.size(), 1u);
  size_t i = 0;
  for (simdjson::dom::element w : weaknesses) {
    const WeakSlice& s = list.slices[i++];
    EXPECT_EQ(s.id, "S" + std::to_string(i));
    EXPECT_DOUBLE_EQ(s.severity, double(w["deficit"]));
    EXPECT_DOUBLE_EQ(s.baseline_accuracy, double(w["accuracy"]));
    EXPECT_DOUBLE_EQ(s.q_value, double(w["q_value"]));
    EXPECT_EQ(static_cast<int64_t>(s.items.size()), s.n);
    // Equivalent tag sets (the aliases a weakness explains) are read as a diagnosis's are.
    ASSERT_EQ(s.equivalent.size(), w["equivalent"].get_array().size());
    size_t e = 0;
    for (simdjson::dom::element set : w["equivalent"].get_array()) {
      EXPECT_EQ(s.equivalent[e++].size(), set.get_array().size());
    }
    ASSERT_FALSE(s.operations.empty());
    for (const std::string& item : s.items) {
      const std::string task = task_of(item);
      EXPECT_TRUE(task == "date_understanding" || task == "object_counting") << item;
    }
  }
}

TEST(WeakSlices, DiagnosisWithoutDataRuledInYieldsNoSlices) {
  REQUIRE_SHARED_DATA();
  WeakSliceList list = read_weak_slices(files().unchanged.string());
  EXPECT_EQ(list.source.kind, "diagnosis");
  EXPECT_EQ(list.source.verdict, Verdict::kNoSignificantChange);
  EXPECT_TRUE(list.slices.empty());
}

TEST(WeakSlices, DataRuledOutKeepsVerdictAndCause) {
  const std::string text = R"({"baseline": "a", "candidate": "b", "verdict": "data_ruled_out", "cause": "termination",
    "slices": [{"tags": ["benchmark=bbh"], "n": 3, "delta": -0.5, "cand_accuracy": 0.2, "q_value": 0.01,
    "items": ["t:1", "t:2", "t:3"]}]})";
  WeakSliceList list = parse_weak_slices(text, "d.json");
  EXPECT_EQ(list.source.verdict, Verdict::kDataRuledOut);
  EXPECT_EQ(list.source.cause, Cause::kTermination);
  EXPECT_TRUE(list.slices.empty());
}

TEST(WeakSlices, NullQValueReadsAsOneAndSeverityIsClamped) {
  const std::string text = R"({"weaknesses": [{"tags": ["operation=logic"], "n": 2, "accuracy": 0.0,
    "deficit": 1.5, "q_value": null, "items": ["t:1", "t:2"]}]})";
  WeakSliceList list = parse_weak_slices(text, "w.json");
  ASSERT_EQ(list.slices.size(), 1u);
  EXPECT_EQ(list.slices[0].q_value, 1.0);
  EXPECT_EQ(list.slices[0].severity, 1.0);
}

void expect_input_error(const std::string& text, const std::string& field_part, const std::string& message_part) {
  try {
    parse_weak_slices(text, "bad.json");
    ADD_FAILURE() << "no error for " << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().file, "bad.json");
    EXPECT_NE(e.where().field.find(field_part), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(message_part), std::string::npos) << e.what();
  }
}

TEST(WeakSlices, MalformedFilesNameFileAndField) {
  expect_input_error(R"({"slices": []})", "", "neither a diagnosis");
  expect_input_error(R"({"verdict": "data_ruled_in", "weaknesses": []})", "", "both");
  expect_input_error(R"([1, 2])", "", "expected a JSON object");
  expect_input_error(R"({"weaknesses": [{"tags": ["a=b"], "n": 1, "accuracy": 0.5, "q_value": 0.1, "items": []}]})",
                     "/weaknesses/0/deficit", "");
  expect_input_error(R"({"verdict": "data_ruled_in", "slices": [{"tags": ["a=b"], "n": "x"}]})", "/slices/0/n", "");
  expect_input_error(R"({"weaknesses": [{"tags": [], "n": 1, "accuracy": 0.5, "deficit": 0.1, "q_value": 0.1,
    "items": []}]})",
                     "/weaknesses/0/tags", "no tags");
  expect_input_error(R"({"weaknesses": [)", "", "");
}

TEST(WeakSlices, UnknownVerdictOrCauseIsRejectedNamingTheField) {
  expect_input_error(R"({"verdict": "data_ruled_inn", "slices": []})", "/verdict", "unknown verdict 'data_ruled_inn'");
  expect_input_error(R"({"verdict": "data_ruled_out", "cause": "Termination", "slices": []})", "/cause",
                     "unknown cause 'Termination'");
}

TEST(WeakSlices, MissingFileIsAnIoError) {
  try {
    read_weak_slices("/nonexistent/diagnosis.json");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.where().file, "/nonexistent/diagnosis.json");
  }
}

}  // namespace
}  // namespace caploop
