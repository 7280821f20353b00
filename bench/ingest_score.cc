// Benchmark: ingest and score one million responses built by repeating the real BBH code-davinci-002 outputs.
//
// Builds a JSON Lines file with every BBH item once and ~154 sampled responses per item (the item's real CoT
// and direct predictions, alternating), then times `ingest` (generic importer -> SQLite workspace) and the
// scoring pass with each benchmark's default rule (BBH reference rule + ending classification), and prints wall
// time and the process's peak resident memory. Usage: bench_ingest_score [RESPONSES] [DATA_DIR] [WORK_DIR]
// DATA_DIR defaults to ../shared/data/bbh/code-davinci-002-outputs (or the bundled examples/data/bbh).
#include <fmt/format.h>
#include <simdjson.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "bench_support.h"
#include "core/json_writer.h"
#include "io/line_reader.h"
#include "store/workspace_db.h"
#include "workspace/ingest_job.h"

namespace fs = std::filesystem;
using namespace caploop;
using bench::peak_rss_mb;
using bench::seconds_since;

int main(int argc, char** argv) {
  int64_t target = argc > 1 ? std::stoll(argv[1]) : 1000000;
  fs::path data = argc > 2 ? fs::path(argv[2]) : fs::path("../shared/data/bbh/code-davinci-002-outputs");
  if (!fs::exists(data)) data = "examples/data/bbh";
  fs::path work = argc > 3 ? fs::path(argv[3]) : fs::temp_directory_path() / "caploop-bench-ingest";
  fs::remove_all(work);
  fs::create_directories(work);

  // Gather the real items: per task, (input, target, cot prediction, direct prediction).
  struct Item {
    std::string task, input, target, cot, direct;
  };
  std::vector<Item> items;
  simdjson::dom::parser parser;
  std::vector<fs::path> cot_files;
  for (const auto& e : fs::directory_iterator(data / "code-davinci-002-cot")) {
    std::string n = e.path().filename().string();
    if (n.find("_eval_metrics") == std::string::npos && n.find(".json") != std::string::npos)
      cot_files.push_back(e.path());
  }
  std::sort(cot_files.begin(), cot_files.end());
  for (const auto& f : cot_files) {
    std::string task = f.filename().string().substr(0, f.filename().string().find("_few_shot_template"));
    fs::path direct = data / "code-davinci-002-direct" / f.filename();
    simdjson::padded_string cot_text(read_whole_file(f));
    simdjson::padded_string direct_text(read_whole_file(direct));
    simdjson::dom::parser p2;
    auto cot = parser.parse(cot_text)["outputs"].get_array();
    auto dir = p2.parse(direct_text)["outputs"].get_array();
    size_t i = 0;
    for (auto rec : cot) {
      Item it;
      it.task = task;
      it.input = std::string(std::string_view(rec["input"]));
      it.target = std::string(std::string_view(rec["target"]));
      it.cot = std::string(std::string_view(rec["prediction"]));
      it.direct = std::string(std::string_view(dir.at(i)["prediction"]));
      items.push_back(std::move(it));
      ++i;
    }
  }
  int64_t per_item = (target + static_cast<int64_t>(items.size()) - 1) / static_cast<int64_t>(items.size());
  fs::path jsonl = work / "bbh_repeated.jsonl";
  int64_t responses = 0;
  {
    std::ofstream out(jsonl, std::ios::binary);
    for (size_t i = 0; i < items.size(); ++i) {
      JsonWriter w;
      w.begin_object().field("id", static_cast<int64_t>(i)).field("task", items[i].task).field("input", items[i].input);
      w.field("target", items[i].target).key("responses").begin_array();
      for (int64_t k = 0; k < per_item; ++k) w.value(k % 2 == 0 ? items[i].cot : items[i].direct);
      responses += per_item;
      w.end_array().end_object();
      out << w.str() << '\n';
    }
  }
  fmt::print("input: {} items x {} samples = {} responses, {:.0f} MB of JSON Lines\n", items.size(), per_item,
             responses, static_cast<double>(fs::file_size(jsonl)) / 1e6);

  WorkspaceDb ws((work / "bench.db").string(), true);
  IngestRequest req;
  req.format = IngestFormat::kGeneric;
  req.paths = {jsonl};
  req.run.name = "bench";
  req.mapping.benchmark = "bbh";
  req.mapping.id_pointer = "/id";
  req.mapping.task_pointer = "/task";
  req.mapping.input_pointer = "/input";
  req.mapping.responses_pointer = "/responses";
  req.mapping.target_pointer = "/target";
  req.score_after = false;
  auto t0 = std::chrono::steady_clock::now();
  IngestResult res = ingest_run(ws, req, nullptr);
  double ingest_s = seconds_since(t0);
  auto t1 = std::chrono::steady_clock::now();
  ScoringReport rep = score_run(ws, ws.run_or_throw("bench"), std::nullopt, 2, nullptr);
  double score_s = seconds_since(t1);
  int64_t correct = 0;
  for (const auto& a : rep.applied) correct += a.correct;
  fmt::print("ingest  {:>8.2f} s  ({:.0f} responses/s)\n", ingest_s, static_cast<double>(res.responses) / ingest_s);
  fmt::print("score   {:>8.2f} s  ({:.0f} responses/s), accuracy {:.2f}%\n", score_s,
             static_cast<double>(res.responses) / score_s, 100.0 * static_cast<double>(correct) / res.responses);
  fmt::print("total   {:>8.2f} s for {} responses; peak RSS {} MB; workspace {:.0f} MB\n", ingest_s + score_s,
             res.responses, peak_rss_mb(), static_cast<double>(fs::file_size(work / "bench.db")) / 1e6);
  fs::remove_all(work);
  return 0;
}
