// `caploop diagnose` on a candidate that gives the same answers in another form (issue 11, item 3): the real
// BBH code-davinci-002 CoT outputs of six tasks, and a candidate whose answers, in 7 items of 10, drop the
// option label's brackets ("So the answer is B.") or put a colon before labels and numbers ("So the answer
// is: True."). The verdict is data_ruled_out / format, with the answer-form evidence; never data_ruled_in.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <string>
#include <vector>

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
                                         "sports_understanding", "web_of_lies", "multistep_arithmetic_two"};
constexpr std::string_view kPhrase = "So the answer is ";

std::string reshaped(const std::string& prediction, size_t index) {
  const size_t at = prediction.rfind(kPhrase);
  if (index % 10 >= 7 || at == std::string::npos) return prediction;
  std::string answer = prediction.substr(at + kPhrase.size());
  while (!answer.empty() && (answer.back() == '.' || answer.back() == ' ' || answer.back() == '\n')) answer.pop_back();
  const std::string reasoning = prediction.substr(0, at);
  if (answer.size() == 3 && answer[0] == '(' && answer[2] == ')')
    return reasoning + "So the answer is " + answer[1] + ".";
  return reasoning + "So the answer is: " + answer + ".";
}

void write_variant(const fs::path& src, const fs::path& dst, bool reshape) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(src.string());
  JsonWriter w;
  w.begin_object().key("outputs").begin_array();
  size_t i = 0;
  for (simdjson::dom::element rec : doc["outputs"].get_array()) {
    const std::string prediction{std::string_view(rec["prediction"])};
    w.begin_object()
        .field("input", std::string_view(rec["input"]))
        .field("prediction", reshape ? reshaped(prediction, i) : prediction)
        .field("target", std::string_view(rec["target"]))
        .end_object();
    ++i;
  }
  w.end_array().end_object();
  write_file(dst, w.str());
}

std::vector<std::string> ingest_args(const std::string& db, const std::string& run, const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& t : kTasks) files.push_back(dir / (t + "_few_shot_template_0-255000.json"));
  return bbh_outputs_ingest_args(db, run, files);
}

TEST(DiagnoseFormCli, AnswersInAnotherFormAreRuledOutAsFormatWithExamples) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  const fs::path src = shared_data_dir() / "bbh" / "code-davinci-002-outputs" / "code-davinci-002-cot";
  for (const auto& t : kTasks) {
    const std::string name = t + "_few_shot_template_0-255000.json";
    write_variant(src / name, tmp.path() / "base" / name, false);
    write_variant(src / name, tmp.path() / "reshaped" / name, true);
  }
  const std::string db = (tmp.path() / "w.db").string();
  ASSERT_EQ(run_caploop(ingest_args(db, "base", tmp.path() / "base")).exit_code, 0);
  ASSERT_EQ(run_caploop(ingest_args(db, "reshaped", tmp.path() / "reshaped")).exit_code, 0);
  const std::string html_path = (tmp.path() / "diagnosis.html").string();
  auto r = run_caploop(
      {"--db", db, "diagnose", "--baseline", "base", "--candidate", "reshaped", "--json", "--html", html_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element d = parser.parse(simdjson::padded_string(r.out));
  EXPECT_EQ(std::string_view(d["verdict"]), "data_ruled_out") << r.out.substr(0, 3000);
  EXPECT_EQ(std::string_view(d["cause"]), "format");
  simdjson::dom::element form = d["evidence"]["answer_form"];
  EXPECT_GT(double(form["recovered_share_tolerant"]), 0.9);
  EXPECT_GT(double(form["base_shape_share"]) - double(form["cand_shape_share"]), 0.5);
  EXPECT_EQ(form["tasks"].get_array().size(), kTasks.size());
  simdjson::dom::array examples = form["examples"];
  ASSERT_GT(examples.size(), 0u);
  for (simdjson::dom::element e : examples) {
    EXPECT_EQ(std::string_view(e["base_answer"]), std::string_view(e["reference"]));
    EXPECT_TRUE(bool(e["tolerant_correct"]));
  }
  // The page leads with the answer (verdict, headline change), then the answer form, then the evidence.
  const std::string html = testing::read_file(html_path);
  const size_t verdict = html.find("verdict: data_ruled_out (cause: format)");
  ASSERT_NE(verdict, std::string::npos);
  EXPECT_LT(verdict, html.find("class=\"headline\""));
  EXPECT_LT(html.find("class=\"headline\""), html.find("id=\"answer-form\""));
  EXPECT_LT(html.find("id=\"answer-form\""), html.find("id=\"evidence\""));
  EXPECT_NE(html.find("#2e7d32"), std::string::npos) << "stopped in the colour every page uses";
}

}  // namespace
}  // namespace caploop
