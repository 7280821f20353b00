#include "math_items.h"

#include <simdjson.h>

#include "core/json_writer.h"
#include "taxonomy/tag_rules.h"
#include "test_support.h"

namespace caploop::testing {

namespace {

MathItems load() {
  MathItems m;
  const std::string path = (shared_data_dir() / "math/math_full_test/test.jsonl").string();
  simdjson::padded_string text = simdjson::padded_string::load(path).value();
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document_stream docs = parser.iterate_many(text).value();
  const TagRuleSet& rules = TagRuleSet::builtin();
  for (auto doc : docs) {
    simdjson::ondemand::object row = doc.get_object().value();
    TaggableItem item;
    item.benchmark = "math";
    item.task = "math";
    std::string problem(row["problem"].get_string().value());
    std::string level(row["level"].get_string().value());
    std::string type(row["type"].get_string().value());
    item.source_id = std::to_string(row["idx"].get_int64().value());
    item.text = problem;
    JsonWriter meta;
    meta.begin_object().field("type", type).field("level", level).end_object();
    item.metadata_json = meta.str();
    m.tags.push_back(rules.apply(item));
    m.names.push_back("math:" + item.source_id);
    m.types.push_back(std::move(type));
    m.levels.push_back(std::move(level));
    m.problems.push_back(std::move(problem));
  }
  return m;
}

}  // namespace

const MathItems& math_items() {
  static const MathItems items = load();
  return items;
}

}  // namespace caploop::testing
