#include "sampling/sample_composition.h"

#include "core/error.h"
#include "core/json_writer.h"
#include "io/line_reader.h"
#include "sampling/sample_paths.h"
#include "sampling/shard_sample_record.h"

namespace caploop::sampling {

namespace fs = std::filesystem;

SampleComposition compose_sample(const MixturePlan& plan, const std::string& plan_checksum, uint64_t seed,
                                 const fs::path& out_dir) {
  SampleComposition c;
  c.plan_checksum = plan_checksum;
  c.seed = seed;
  c.shards_total = static_cast<int64_t>(plan.corpus.shards.size());
  c.budget_tokens = plan.options.budget_tokens;
  for (const PlanStream& s : plan.streams) {
    StreamComposition sc;
    sc.name = s.name;
    sc.kind = s.kind;
    sc.available_tokens = s.available_tokens;
    sc.quota_tokens = s.quota_tokens;
    sc.full_epochs = s.full_epochs;
    c.quota_tokens += s.quota_tokens;
    c.streams.push_back(std::move(sc));
  }
  for (const PlanShard& shard : plan.corpus.shards) {
    const SamplePaths paths = sample_paths(out_dir, shard.path);
    std::error_code ec;
    bool counted = false;
    if (fs::exists(paths.done_mark, ec)) {
      try {
        ShardSampleRecord r =
            parse_shard_record(read_whole_file(paths.done_mark, size_t{1} << 26), paths.done_mark.string());
        if (r.plan_checksum == plan_checksum && r.seed == seed && r.shard == shard.path &&
            r.streams.size() == c.streams.size()) {
          for (size_t k = 0; k < c.streams.size(); ++k) {
            const StreamDraw& d = r.streams[k];
            StreamComposition& sc = c.streams[k];
            sc.done_quota_tokens += d.quota_tokens;
            sc.drawn_tokens += d.drawn_tokens;
            sc.draws += d.draws;
            sc.remainder_docs += d.remainder_docs;
          }
          c.drawn_tokens += r.output_tokens;
          c.output_lines += r.output_lines;
          c.outputs.push_back(r.output);
          counted = true;
        }
      } catch (const Error&) {
        // An unreadable done mark does not count: the shard is listed as missing and a rerun draws it again.
      }
    }
    if (counted)
      ++c.shards_done;
    else
      c.missing_shards.push_back(shard.path);
  }
  c.complete = c.missing_shards.empty();
  for (StreamComposition& sc : c.streams) {
    if (sc.available_tokens > 0)
      sc.epochs = static_cast<double>(sc.drawn_tokens) / static_cast<double>(sc.available_tokens);
    if (c.drawn_tokens > 0) sc.share = static_cast<double>(sc.drawn_tokens) / static_cast<double>(c.drawn_tokens);
    if (sc.done_quota_tokens > 0)
      sc.relative_error =
          static_cast<double>(sc.drawn_tokens - sc.done_quota_tokens) / static_cast<double>(sc.done_quota_tokens);
  }
  return c;
}

std::string composition_to_json(const SampleComposition& c) {
  JsonWriter w(true);
  w.begin_object();
  w.field("format", "caploop-sample-composition");
  w.field("version", int64_t{1});
  w.field("plan_checksum", c.plan_checksum);
  w.field("seed", c.seed);
  w.field("complete", c.complete);
  w.field("shards_total", c.shards_total);
  w.field("shards_done", c.shards_done);
  w.key("missing_shards").begin_array();
  for (const auto& s : c.missing_shards) w.value(s);
  w.end_array();
  w.field("budget_tokens", c.budget_tokens);
  w.field("quota_tokens", c.quota_tokens);
  w.field("drawn_tokens", c.drawn_tokens);
  w.field("output_lines", c.output_lines);
  w.key("streams").begin_array();
  for (const StreamComposition& s : c.streams) {
    w.begin_object();
    w.field("name", s.name);
    w.field("kind", stream_kind_name(s.kind));
    w.field("available_tokens", s.available_tokens);
    w.field("quota_tokens", s.quota_tokens);
    w.field("full_epochs", s.full_epochs);
    w.field("done_quota_tokens", s.done_quota_tokens);
    w.field("drawn_tokens", s.drawn_tokens);
    w.field("draws", s.draws);
    w.field("remainder_docs", s.remainder_docs);
    w.field("epochs", s.epochs);
    w.field("share", s.share);
    w.field("relative_error", s.relative_error);
    w.end_object();
  }
  w.end_array();
  w.key("outputs").begin_array();
  for (const auto& o : c.outputs) w.value(o);
  w.end_array();
  w.end_object();
  std::string out = w.take();
  out += "\n";
  return out;
}

}  // namespace caploop::sampling
