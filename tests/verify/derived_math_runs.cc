#include "derived_math_runs.h"

#include <simdjson.h>

#include "core/json_writer.h"
#include "test_support.h"

namespace caploop::testing {

namespace fs = std::filesystem;

fs::path qwen_math_file() {
  return shared_data_dir() / "model_outputs" / "qwen25math_math_cot_100" / "math_cot_100.jsonl";
}

std::vector<MathRecord> read_math_records(const fs::path& file) {
  simdjson::dom::parser parser;
  simdjson::padded_string text = simdjson::padded_string::load(file.string());
  std::vector<MathRecord> out;
  for (auto doc : parser.parse_many(text)) {
    MathRecord r;
    r.idx = int64_t(doc["idx"]);
    r.question = std::string(std::string_view(doc["question"]));
    r.gt = std::string(std::string_view(doc["gt"]));
    for (auto c : doc["code"].get_array()) r.responses.emplace_back(std::string_view(c));
    for (auto s : doc["score"].get_array()) r.provided.push_back(bool(s));
    out.push_back(std::move(r));
  }
  return out;
}

std::string with_boxed_answer(const std::string& response, const std::string& answer) {
  const size_t start = response.rfind("\\boxed{");
  if (start == std::string::npos) return response + "\n\nThe answer is \\boxed{" + answer + "}.";
  size_t pos = start + 7;
  int depth = 1;
  while (pos < response.size() && depth > 0) {
    if (response[pos] == '{') ++depth;
    if (response[pos] == '}') --depth;
    ++pos;
  }
  return response.substr(0, start) + "\\boxed{" + answer + "}" + response.substr(pos);
}

namespace {

size_t samples_of(const MathRecord& r, size_t samples) {
  return samples == 0 ? r.responses.size() : std::min(samples, r.responses.size());
}

}  // namespace

void write_derived_run(const std::vector<MathRecord>& records, const Derivation& derive, const fs::path& out,
                       size_t samples) {
  std::string text;
  for (const MathRecord& r : records) {
    JsonWriter w;
    w.begin_object().field("idx", r.idx).field("question", r.question).field("gt", r.gt);
    w.key("code").begin_array();
    for (size_t s = 0; s < samples_of(r, samples); ++s) {
      switch (derive(r, s)) {
        case Rewrite::kKeep:
          w.value(r.responses[s]);
          break;
        case Rewrite::kGold:
          w.value(with_boxed_answer(r.responses[s], r.gt));
          break;
        case Rewrite::kWrong:
          w.value(with_boxed_answer(r.responses[s], "-987654321"));
          break;
      }
    }
    w.end_array().end_object();
    text += w.str() + "\n";
  }
  write_file(out, text);
}

double expected_accuracy(const MathRecord& r, const Derivation& derive, size_t samples) {
  const size_t n = samples_of(r, samples);
  double correct = 0;
  for (size_t s = 0; s < n; ++s) {
    const Rewrite k = derive(r, s);
    correct += k == Rewrite::kGold || (k == Rewrite::kKeep && r.provided[s]);
  }
  return correct / static_cast<double>(n);
}

std::vector<std::string> ingest_math_args(const std::string& db, const std::string& run, const fs::path& file,
                                          bool single_sample) {
  std::vector<std::string> a = {"--db",        db,     "-q",   "ingest", "--run",   run,         "--format", "generic",
                                "--benchmark", "math", "--id", "/idx",   "--input", "/question", "--target", "/gt"};
  if (single_sample) {
    a.insert(a.end(), {"--response", "/code/0"});
  } else {
    a.insert(a.end(), {"--responses", "/code"});
  }
  a.push_back(file.string());
  return a;
}

}  // namespace caploop::testing
