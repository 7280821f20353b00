// `caploop map` end to end on the real diagnosis and weakness list of real_weak_files.h: the JSON fields, the
// terminal table with its gaps, and the exit codes of bad requests.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <set>

#include "mapping/real_weak_files.h"
#include "mapping/weak_slice.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::run_caploop;

TEST(MapCli, JsonListsSlicesRulesCategoriesAndGaps) {
  REQUIRE_SHARED_DATA();
  const std::string diagnosis = testing::real_weak_files()->diagnosis.string();
  auto r = run_caploop({"map", "--diagnosis", diagnosis, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const WeakSliceList expected = read_weak_slices(diagnosis);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(r.out));
  EXPECT_EQ(std::string_view(doc["source"]["kind"]), "diagnosis");
  EXPECT_EQ(std::string_view(doc["source"]["verdict"]), "data_ruled_in");
  EXPECT_EQ(std::string_view(doc["source"]["checksum"]), expected.source.checksum);
  EXPECT_EQ(std::string_view(doc["mapping"]["name"]), "caploop-builtin");
  simdjson::dom::array slices = doc["slices"].get_array();
  ASSERT_EQ(slices.size(), expected.slices.size());
  std::set<std::string> unmapped;
  std::set<std::string> rule_categories;
  size_t i = 0;
  for (simdjson::dom::element s : slices) {
    EXPECT_EQ(std::string_view(s["id"]), expected.slices[i].id);
    EXPECT_EQ(std::string_view(s["tags"].at(0)), expected.slices[i].tags.front());
    const std::string status{std::string_view(s["status"])};
    EXPECT_TRUE(status == "mapped" || status == "not_data" || status == "unmapped") << status;
    if (status == "unmapped") unmapped.insert(std::string(std::string_view(s["id"])));
    for (simdjson::dom::element rule : s["rules"].get_array()) {
      EXPECT_FALSE(std::string_view(rule["id"]).empty());
      EXPECT_FALSE(std::string_view(rule["matched_tag"]).empty());
      EXPECT_GT(std::string_view(rule["reason"]).size(), 10u);
      if (rule["category"].is_null()) {
        EXPECT_TRUE(rule["weight"].is_null());
      } else {
        rule_categories.insert(std::string(std::string_view(rule["category"])));
        EXPECT_GT(double(rule["weight"]), 0.0);
      }
    }
    ++i;
  }
  // "categories" is exactly the sorted set of the fired rules' categories; "gaps" the unmapped slices.
  std::vector<std::string> categories;
  for (simdjson::dom::element c : doc["categories"].get_array()) categories.emplace_back(std::string_view(c));
  EXPECT_EQ(categories, std::vector<std::string>(rule_categories.begin(), rule_categories.end()));
  EXPECT_TRUE(std::find(categories.begin(), categories.end(),
                        "capability__procedural&math_operation__arithmetic_computation") != categories.end());
  std::set<std::string> gaps;
  for (simdjson::dom::element g : doc["gaps"].get_array()) gaps.insert(std::string(std::string_view(g["id"])));
  EXPECT_EQ(gaps, unmapped);
  // The diagnosis reports the two weak tasks only (the broad `background=everyday_scenario`, weak only through
  // object_counting, is listed under it), and both map to data: no gaps.
  EXPECT_EQ(slices.size(), 2u);
  EXPECT_TRUE(gaps.empty());
}

TEST(MapCli, TerminalTableShowsEverySliceAndTheGaps) {
  REQUIRE_SHARED_DATA();
  auto r = run_caploop({"map", "--diagnosis", testing::real_weak_files()->diagnosis.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("verdict data_ruled_in"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("S1 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("temporal-dates"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ngaps: none"), std::string::npos) << r.out;
  // Rules fired through an equivalent tag set say so.
  EXPECT_NE(r.out.find("background-calendar (equivalent)"), std::string::npos) << r.out;
}

TEST(MapCli, WeaknessListAndUnchangedDiagnosis) {
  REQUIRE_SHARED_DATA();
  auto w = run_caploop({"map", "--weaknesses", testing::real_weak_files()->weaknesses.string(), "--json"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  simdjson::dom::parser parser;
  EXPECT_EQ(std::string_view(parser.parse(simdjson::padded_string(w.out))["source"]["kind"]), "weaknesses");
  auto u = run_caploop({"map", "--diagnosis", testing::real_weak_files()->unchanged.string()});
  ASSERT_EQ(u.exit_code, 0) << u.err;
  EXPECT_NE(u.out.find("verdict no_significant_change"), std::string::npos) << u.out;
  EXPECT_NE(u.out.find("no weak slices to map"), std::string::npos) << u.out;
}

TEST(MapCli, UnknownDataTagInMappingFileExitsThreeNamingFileAndLine) {
  testing::TempDir tmp;
  const std::string rules = (tmp / "rules.toml").string();
  testing::write_file(rules,
                      "[mapping]\nname = \"mine\"\nversion = 1\n\n[[rules]]\nid = \"a\"\n"
                      "when = \"operation=counting\"\ntarget = [\"math_subfield.combinatorics\"]\n"
                      "reason = \"Counting.\"\n");
  const std::string diagnosis = (tmp / "d.json").string();
  testing::write_file(diagnosis, R"({"verdict": "no_significant_change", "slices": []})");
  auto r = run_caploop({"map", "--diagnosis", diagnosis, "--mapping", rules});
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.err.find(rules + ":5:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("math_subfield.combinatorics"), std::string::npos) << r.err;
}

TEST(MapCli, BadRequestsGiveUsageOrInputErrors) {
  testing::TempDir tmp;
  const std::string bad = (tmp / "bad.json").string();
  testing::write_file(bad, R"({"verdict": "data_ruled_in", "slices": [{"tags": ["a=b"]}]})");
  EXPECT_EQ(run_caploop({"map"}).exit_code, 2);
  EXPECT_EQ(run_caploop({"map", "--diagnosis", bad, "--weaknesses", bad}).exit_code, 2);
  auto r = run_caploop({"map", "--diagnosis", bad});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("/slices/0/n"), std::string::npos) << r.err;
  EXPECT_EQ(run_caploop({"map", "--diagnosis", (tmp / "missing.json").string()}).exit_code, 4);  // not found
}

}  // namespace
}  // namespace caploop
