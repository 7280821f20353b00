#include "real_items.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "test_support.h"

namespace caploop::testing {

namespace fs = std::filesystem;

namespace {

std::string text_of(simdjson::dom::element e) {
  if (e.is_string()) return std::string(std::string_view(e));
  return simdjson::minify(e);
}

template <typename Fn>
void for_each_jsonl(const fs::path& path, Fn fn) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  simdjson::dom::parser parser;
  std::string line;
  size_t index = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    fn(parser.parse(line).get_object().value(), index++);
  }
}

}  // namespace

std::string last_boxed(const std::string& solution) {
  size_t at = solution.rfind("\\boxed{");
  if (at == std::string::npos) return "";
  size_t start = at + 7;
  int depth = 1;
  for (size_t i = start; i < solution.size(); ++i) {
    if (solution[i] == '{') ++depth;
    if (solution[i] == '}' && --depth == 0) return solution.substr(start, i - start);
  }
  return "";
}

std::vector<TaggableItem> load_bbh_items() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(shared_data_dir() / "bbh" / "bbh")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<TaggableItem> items;
  simdjson::dom::parser parser;
  for (const fs::path& file : files) {
    simdjson::dom::element doc = parser.load(file.string());
    size_t index = 0;
    for (simdjson::dom::element example : doc["examples"].get_array()) {
      TaggableItem item;
      item.benchmark = "bbh";
      item.task = file.stem().string();
      item.source_id = std::to_string(index++);
      item.text = text_of(example["input"]);
      item.reference = text_of(example["target"]);
      items.push_back(std::move(item));
    }
  }
  return items;
}

std::vector<TaggableItem> load_math_test_items() {
  std::vector<TaggableItem> items;
  for_each_jsonl(
      shared_data_dir() / "math" / "math_full_test" / "test.jsonl", [&](simdjson::dom::object o, size_t index) {
        TaggableItem item;
        item.benchmark = "math";
        item.task = "math";
        item.source_id = std::to_string(index);
        item.text = text_of(o["problem"]);
        item.reference = last_boxed(text_of(o["solution"]));
        item.metadata_json = "{\"type\":\"" + text_of(o["type"]) + "\",\"level\":\"" + text_of(o["level"]) + "\"}";
        items.push_back(std::move(item));
      });
  return items;
}

std::vector<TaggableItem> load_gsm8k_test_items() {
  std::vector<TaggableItem> items;
  for_each_jsonl(shared_data_dir() / "gsm8k" / "test.jsonl", [&](simdjson::dom::object o, size_t index) {
    TaggableItem item;
    item.benchmark = "gsm8k";
    item.task = "gsm8k";
    item.source_id = std::to_string(index);
    item.text = text_of(o["question"]);
    std::string answer = text_of(o["answer"]);
    size_t mark = answer.rfind("####");
    item.reference = mark == std::string::npos ? answer : answer.substr(mark + 5);
    items.push_back(std::move(item));
  });
  return items;
}

std::vector<TaggableItem> load_competition_items(const std::string& folder, const std::string& benchmark) {
  std::vector<TaggableItem> items;
  for_each_jsonl(shared_data_dir() / "aime" / folder / "test.jsonl", [&](simdjson::dom::object o, size_t) {
    TaggableItem item;
    item.benchmark = benchmark;
    item.task = benchmark;
    item.source_id = text_of(o["id"]);
    item.text = text_of(o["problem"]);
    item.reference = text_of(o["answer"]);
    items.push_back(std::move(item));
  });
  return items;
}

}  // namespace caploop::testing
