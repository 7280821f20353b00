#include "bbh_items.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>

#include "taxonomy/tag_rules.h"
#include "test_support.h"

namespace caploop::testing {

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool scores_correct(std::string_view prediction, std::string_view target) {
  constexpr std::string_view kPhrase = "So the answer is ";
  const size_t p = prediction.rfind(kPhrase);
  if (p == std::string_view::npos) return false;
  std::string_view answer = trimmed(prediction.substr(p + kPhrase.size()));
  if (!answer.empty() && answer.back() == '.') answer.remove_suffix(1);
  return answer == target;
}

// The item's own question: after the last "Q: ", before the "A:" cue.
std::string last_question(std::string_view input) {
  const size_t q = input.rfind("Q: ");
  std::string_view text = q == std::string_view::npos ? input : input.substr(q + 3);
  const size_t cue = text.rfind("\nA:");
  if (cue != std::string_view::npos) text = text.substr(0, cue);
  return std::string(text);
}

}  // namespace

const BbhItems& bbh_items() {
  static const BbhItems items = [] {
    BbhItems out;
    const auto dir = shared_data_dir() / "bbh/code-davinci-002-outputs/code-davinci-002-cot";
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().filename().string().ends_with("_few_shot_template_0-255000.json")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    const TagRuleSet& rules = TagRuleSet::builtin();
    simdjson::ondemand::parser parser;
    for (const auto& path : files) {
      const std::string name = path.filename().string();
      const std::string task = name.substr(0, name.find("_few_shot_template"));
      simdjson::padded_string json = simdjson::padded_string::load(path.string());
      simdjson::ondemand::document doc = parser.iterate(json);
      size_t index = 0;
      for (simdjson::ondemand::object o : doc["outputs"].get_array()) {
        const std::string input{std::string_view(o["input"])};
        const std::string prediction{std::string_view(o["prediction"])};
        const std::string target{std::string_view(o["target"])};
        const std::string id = std::to_string(index++);
        TaggableItem item{"bbh", task, id, "Q: " + last_question(input), target, "{}"};
        out.tags.push_back(rules.apply(item));
        out.names.push_back(task + ":" + id);
        out.tasks.push_back(task);
        out.correct.push_back(scores_correct(prediction, target));
      }
    }
    return out;
  }();
  return items;
}

}  // namespace caploop::testing
