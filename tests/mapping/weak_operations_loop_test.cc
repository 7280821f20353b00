// The loop on operation tags, end to end through the binary: a model derived from the real BBH code-davinci-002
// CoT outputs that is weak at counting (object_counting: one item in ten keeps its answer), arithmetic
// (multistep_arithmetic_two: one in sixty) and alphabetical sorting (word_sorting: none), the other tasks as
// published. `weaknesses` names those three (by or through their operations), a user's mapping keyed on
// operation tags (`operation=counting.object_counting -> skill.counting`, `operation=sorting -> skill.sorting`,
// `operation=arithmetic -> skill.arithmetic`) matches them in `map`, `plan --weaknesses` (user data taxonomy:
// documents tagged by their `metadata.skill` field) plans for them instead of refusing, and `sample` draws the
// weak operations' streams raised above their share of the corpus.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/json_writer.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using testing::bbh_outputs_ingest_args;
using testing::read_file;
using testing::run_caploop;
using testing::TempDir;
using testing::write_file;

constexpr std::string_view kAnswerPhrase = "So the answer is ";

// Tasks of the derived run, and for the weak ones: keep the published answer of one item in `keep_every`
// (0: of none); every other item gets another item's target.
const std::map<std::string, int> kTasks = {
    {"boolean_expressions", 1},       {"date_understanding", 1}, {"dyck_languages", 1},   {"hyperbaton", 1},
    {"multistep_arithmetic_two", 60}, {"navigate", 1},           {"object_counting", 10}, {"snarks", 1},
    {"sports_understanding", 1},      {"web_of_lies", 1},        {"word_sorting", 0}};
const std::set<std::string> kWeakTasks = {"object_counting", "multistep_arithmetic_two", "word_sorting"};

std::string file_name(const std::string& task) { return task + "_few_shot_template_0-255000.json"; }

void write_weak_model(const fs::path& dir) {
  simdjson::dom::parser parser;
  for (const auto& [task, keep_every] : kTasks) {
    const fs::path src =
        testing::shared_data_dir() / "bbh/code-davinci-002-outputs/code-davinci-002-cot" / file_name(task);
    simdjson::dom::element doc = parser.load(src.string());
    std::vector<simdjson::dom::element> recs;
    for (simdjson::dom::element r : doc["outputs"].get_array()) recs.push_back(r);
    JsonWriter w;
    w.begin_object().key("outputs").begin_array();
    for (size_t i = 0; i < recs.size(); ++i) {
      std::string prediction(std::string_view(recs[i]["prediction"]));
      const std::string target(std::string_view(recs[i]["target"]));
      const size_t answer = prediction.rfind(kAnswerPhrase);
      const bool keep = keep_every == 1 || (keep_every > 1 && i % static_cast<size_t>(keep_every) == 0);
      if (!keep && answer != std::string::npos) {
        std::string other = target;
        for (size_t k = 1; k < recs.size() && other == target; ++k) {
          other = std::string(std::string_view(recs[(i + k) % recs.size()]["target"]));
        }
        prediction = prediction.substr(0, answer) + std::string(kAnswerPhrase) + other + ".";
      }
      w.begin_object().field("input", std::string_view(recs[i]["input"])).field("prediction", prediction);
      w.field("target", target).end_object();
    }
    w.end_array().end_object();
    write_file(dir / file_name(task), w.str());
  }
}

constexpr std::string_view kTaxonomy = R"([taxonomy]
name = "team-skills"
version = 1

[[axes]]
name = "source"
tags = ["web", "books"]
exclusive = true
default = "web"

[[axes]]
name = "skill"
tags = ["counting", "sorting", "arithmetic", "reading"]
exclusive = true
default = "reading"

[[metadata]]
tag = "source.books"
field = "metadata.source"
equals = ["books"]

[[metadata]]
tag = "skill.counting"
field = "metadata.skill"
equals = ["counting"]

[[metadata]]
tag = "skill.sorting"
field = "metadata.skill"
equals = ["sorting"]

[[metadata]]
tag = "skill.arithmetic"
field = "metadata.skill"
equals = ["arithmetic"]
)";

constexpr std::string_view kMapping = R"([mapping]
name = "team-operations"
version = 1

[[rules]]
id = "counting"
when = "operation=counting.object_counting"
target = ["skill.counting"]
reason = "Counting objects is practised by texts that count things."

[[rules]]
id = "sorting"
when = "operation=sorting"
target = ["skill.sorting"]
reason = "Ordering words is practised by texts that sort lists."

[[rules]]
id = "arithmetic"
when = "operation=arithmetic"
target = ["skill.arithmetic"]
reason = "Multi-step arithmetic is practised by worked calculations."
)";

// 400 documents from real WikiText-2 paragraphs, a quarter of them per skill, half of them books.
void write_corpus(const fs::path& file) {
  const std::string text = read_file(testing::shared_data_dir() / "corpus/wikitext-2/valid.txt");
  std::vector<std::string> paragraphs;
  size_t start = 0;
  while (paragraphs.size() < 400 && start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.size() > 200 && line.find(" = ") == std::string::npos) paragraphs.push_back(line);
    start = end + 1;
  }
  const std::vector<std::string> skills = {"counting", "sorting", "arithmetic", "reading"};
  std::string out;
  for (size_t k = 0; k < paragraphs.size(); ++k) {
    JsonWriter w;
    w.begin_object().field("id", "doc" + std::to_string(k)).field("text", paragraphs[k]);
    w.key("metadata").begin_object().field("skill", skills[k % 4]).field("source", k % 2 ? "books" : "web");
    w.end_object().end_object();
    out += w.str() + "\n";
  }
  write_file(file, out);
}

std::vector<std::string> strings_of(simdjson::dom::element array) {
  std::vector<std::string> out;
  for (simdjson::dom::element e : array.get_array()) out.emplace_back(std::string_view(e));
  return out;
}

TEST(WeakOperationsLoop, OperationWeaknessesMapPlanAndSampleThroughAUserMapping) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  write_weak_model(tmp / "weak");
  const std::string db = (tmp / "w.db").string();
  std::vector<fs::path> files;
  for (const auto& [task, keep] : kTasks) files.push_back(tmp / "weak" / file_name(task));
  const std::vector<std::string> ingest = bbh_outputs_ingest_args(db, "weak", files);
  auto r = run_caploop(ingest);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // weaknesses: the three weak tasks lead, each read as operations.
  r = run_caploop({"--db", db, "weaknesses", "--run", "weak", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path weaknesses = tmp / "weaknesses.json";
  write_file(weaknesses, r.out);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(simdjson::padded_string(r.out));
  simdjson::dom::array list = doc["weaknesses"].get_array();
  ASSERT_GE(list.size(), 3u);
  std::set<std::string> weak_operations;
  size_t k = 0;
  for (simdjson::dom::element w : list) {
    if (k++ == 3) break;
    std::set<std::string> tasks;
    for (std::string item : strings_of(w["items"])) tasks.insert(item.substr(0, item.find(':')));
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_TRUE(kWeakTasks.count(*tasks.begin())) << *tasks.begin();
    for (simdjson::dom::element part : w["operations"]["parts"].get_array()) {
      for (const std::string& t : strings_of(part["tags"])) weak_operations.insert(t);
    }
  }
  EXPECT_TRUE(weak_operations.count("operation=counting.object_counting"));
  EXPECT_TRUE(weak_operations.count("operation=sorting.alphabetical"));
  EXPECT_TRUE(weak_operations.count("operation=arithmetic.multi_step"));

  // map: the user's operation rules fire for each of the three, and say through which path.
  const fs::path taxonomy = tmp / "skills.toml", mapping = tmp / "mapping.toml";
  write_file(taxonomy, std::string(kTaxonomy));
  write_file(mapping, std::string(kMapping));
  r = run_caploop({"map", "--weaknesses", weaknesses.string(), "--mapping", mapping.string(), "--data-taxonomy",
                   taxonomy.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = parser.parse(simdjson::padded_string(r.out));
  std::set<std::string> fired;
  for (simdjson::dom::element s : doc["slices"].get_array()) {
    for (simdjson::dom::element rule : s["rules"].get_array()) {
      fired.insert(std::string(std::string_view(rule["id"])));
      const std::string path{std::string_view(rule["path"])};
      EXPECT_TRUE(path == "tags" || path == "equivalent" || path == "operations") << path;
      EXPECT_GT(double(rule["share"]), 0.0);
    }
  }
  EXPECT_EQ(fired, (std::set<std::string>{"counting", "sorting", "arithmetic"}));

  // corpus tag with the user's taxonomy, plan from the weakness list, sample.
  write_corpus(tmp / "corpus/docs.jsonl");
  r = run_caploop({"-q", "corpus", "tag", "--out", (tmp / "tags").string(), "--taxonomy", taxonomy.string(),
                   (tmp / "corpus").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path plan = tmp / "plan.json";
  r = run_caploop({"plan", "--weaknesses", weaknesses.string(), "--stats", (tmp / "tags").string(), "--budget-tokens",
                   "20000", "--mapping", mapping.string(), "--taxonomy", taxonomy.string(), "--base-axis", "source",
                   "--out", plan.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  doc = parser.parse(simdjson::padded_string(read_file(plan)));
  std::map<std::string, double> target_share;
  for (simdjson::dom::element s : doc["streams"].get_array()) {
    if (std::string_view(s["kind"]) == "target")
      target_share[std::string(std::string_view(s["name"]))] = double(s["share"]);
  }
  for (const char* stream : {"target:skill__counting", "target:skill__sorting", "target:skill__arithmetic"}) {
    ASSERT_TRUE(target_share.count(stream)) << stream << " in " << read_file(plan).substr(0, 2000);
    EXPECT_GT(target_share[stream], 0.0) << stream;
  }
  r = run_caploop({"-q", "sample", "--plan", plan.string(), "--seed", "7", "--out", (tmp / "sample").string(),
                   (tmp / "corpus").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Tagged with the same taxonomy, the sample holds a larger share of each weak skill than the corpus does.
  const auto skill_shares = [&](const fs::path& input, const fs::path& out) {
    auto tagged =
        run_caploop({"-q", "corpus", "tag", "--out", out.string(), "--taxonomy", taxonomy.string(), input.string()});
    EXPECT_EQ(tagged.exit_code, 0) << tagged.err;
    auto stats = run_caploop({"corpus", "stats", out.string(), "--json"});
    EXPECT_EQ(stats.exit_code, 0) << stats.err;
    simdjson::dom::parser p;
    simdjson::dom::element d = p.parse(simdjson::padded_string(stats.out));
    std::map<std::string, double> shares;
    for (const char* skill : {"skill__counting", "skill__sorting", "skill__arithmetic"}) {
      shares[skill] = double(int64_t(d["tags"][skill]["tokens"])) / double(int64_t(d["tokens"]));
    }
    return shares;
  };
  const std::map<std::string, double> corpus_shares = skill_shares(tmp / "corpus", tmp / "corpus_tags");
  std::vector<fs::path> outputs;
  for (const auto& e : fs::recursive_directory_iterator(tmp / "sample")) {
    if (e.path().string().ends_with(".jsonl.zst")) outputs.push_back(e.path());
  }
  ASSERT_EQ(outputs.size(), 1u);
  const std::map<std::string, double> sample_shares = skill_shares(outputs.front(), tmp / "sample_tags");
  for (const auto& [skill, share] : corpus_shares) {
    std::printf("%s: corpus %.3f -> sample %.3f\n", skill.c_str(), share, sample_shares.at(skill));
    EXPECT_GT(sample_shares.at(skill), share) << skill;
  }
}

}  // namespace
}  // namespace caploop
