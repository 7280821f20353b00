#include "workspace/runs_json.h"

#include "core/json_writer.h"

namespace caploop {

std::string runs_to_json(const std::vector<RunRow>& runs) {
  JsonWriter w(true);
  w.begin_object().key("runs").begin_array();
  for (const auto& r : runs) {
    const auto& g = r.info.generation;
    w.begin_object()
        .field("name", r.info.name)
        .field("model", r.info.model)
        .field("checkpoint", r.info.checkpoint)
        .field("harness", r.info.harness)
        .field("n_items", r.n_items)
        .field("n_responses", r.n_responses)
        .key("generation")
        .begin_object()
        .field("max_new_tokens", g.max_new_tokens)
        .key("stop_sequences")
        .begin_array();
    for (const auto& s : g.stop_sequences) w.value(s);
    w.end_array()
        .field("temperature", g.temperature)
        .field("top_p", g.top_p)
        .field("do_sample", g.do_sample)
        .field("repeats", g.repeats)
        .key("extra")
        .raw(g.extra_json.empty() ? "{}" : g.extra_json)
        .end_object()
        .end_object();
  }
  w.end_array().end_object();
  return w.take();
}

}  // namespace caploop
