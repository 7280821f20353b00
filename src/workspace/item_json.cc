#include "workspace/item_json.h"

#include "core/json_writer.h"

namespace caploop {

std::string item_across_runs_to_json(const ItemRow& item, const std::string& rule, const std::vector<RunOfItem>& runs) {
  JsonWriter w(true);
  w.begin_object()
      .field("benchmark", item.benchmark)
      .field("task", item.task)
      .field("id", item.source_id)
      .field("question", item.question)
      .key("metadata")
      .raw(item.metadata_json)
      .field("rule", rule)
      .key("runs")
      .begin_array();
  for (const auto& r : runs) {
    w.begin_object().field("run", r.run).field("prompt", r.prompt).field("reference", r.reference);
    w.key("responses").begin_array();
    for (const auto& s : r.responses) {
      w.begin_object()
          .field("sample", s.sample_index)
          .field("text", s.text)
          .field("n_tokens", s.n_tokens)
          .field("finish_reason", s.finish_reason)
          .field("answer", s.answer)
          .field("correct", s.correct)
          .field("ending", s.ending);
      w.key("filtered").begin_object();
      for (const auto& [f, v] : s.filtered) w.field(f, v);
      w.end_object().end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return w.take();
}

}  // namespace caploop
