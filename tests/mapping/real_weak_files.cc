#include "mapping/real_weak_files.h"

#include <simdjson.h>

#include <memory>
#include <set>
#include <vector>

#include "core/json_writer.h"
#include "test_support.h"

namespace caploop::testing {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTasks = {"boolean_expressions", "date_understanding",   "navigate",
                                         "object_counting",     "sports_understanding", "web_of_lies"};
const std::set<std::string> kWeakTasks = {"date_understanding", "object_counting"};
constexpr std::string_view kAnswerPhrase = "So the answer is ";

std::string file_name(const std::string& task) { return task + "_few_shot_template_0-255000.json"; }

// Writes the task's outputs as published, or (weak) with the answer of flipped items replaced by the next
// different target of the task.
void write_variant(const std::string& task, const fs::path& dst, bool weak) {
  simdjson::dom::parser parser;
  const fs::path src =
      shared_data_dir() / "bbh" / "code-davinci-002-outputs" / "code-davinci-002-cot" / file_name(task);
  simdjson::dom::element doc = parser.load(src.string());
  std::vector<simdjson::dom::element> recs;
  for (simdjson::dom::element r : doc["outputs"].get_array()) recs.push_back(r);
  JsonWriter w;
  w.begin_object().key("outputs").begin_array();
  for (size_t i = 0; i < recs.size(); ++i) {
    std::string prediction(std::string_view(recs[i]["prediction"]));
    const std::string target(std::string_view(recs[i]["target"]));
    const size_t answer = prediction.rfind(kAnswerPhrase);
    if (weak && i % kFlipEvery != 0 && answer != std::string::npos) {
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
  write_file(dst, w.str());
}

void ingest(const std::string& db, const std::string& run, const fs::path& dir) {
  std::vector<fs::path> files;
  for (const std::string& t : kTasks) files.push_back(dir / file_name(t));
  const std::vector<std::string> args = bbh_outputs_ingest_args(db, run, files);
  CommandResult r = run_caploop(args);
  if (r.exit_code != 0) throw std::runtime_error("ingest " + run + " failed: " + r.err);
}

void run_to_file(const std::vector<std::string>& args, const fs::path& out) {
  CommandResult r = run_caploop(args);
  if (r.exit_code != 0) throw std::runtime_error("caploop failed: " + r.err);
  write_file(out, r.out);
}

}  // namespace

const RealWeakFiles* real_weak_files() {
  static std::unique_ptr<TempDir> dir;
  static std::unique_ptr<RealWeakFiles> files;
  if (files) return files.get();
  if (!have_shared_data()) return nullptr;
  dir = std::make_unique<TempDir>();
  auto made = std::make_unique<RealWeakFiles>();
  for (const std::string& t : kTasks) {
    write_variant(t, *dir / "base" / file_name(t), false);
    write_variant(t, *dir / "cand" / file_name(t), kWeakTasks.count(t) > 0);
  }
  made->db = *dir / "w.db";
  const std::string db = made->db.string();
  ingest(db, "base", *dir / "base");
  ingest(db, "cand", *dir / "cand");
  made->diagnosis = *dir / "diagnosis.json";
  made->unchanged = *dir / "unchanged.json";
  made->weaknesses = *dir / "weaknesses.json";
  run_to_file({"--db", db, "diagnose", "--baseline", "base", "--candidate", "cand", "--json"}, made->diagnosis);
  run_to_file({"--db", db, "diagnose", "--baseline", "base", "--candidate", "base", "--json"}, made->unchanged);
  run_to_file({"--db", db, "weaknesses", "--run", "cand", "--json"}, made->weaknesses);
  files = std::move(made);
  return files.get();
}

}  // namespace caploop::testing
