#include "sampling/shard_sample_record.h"

#include "core/error.h"
#include "core/json_writer.h"
#include "io/json_fields.h"
#include "io/json_parser.h"

namespace caploop::sampling {

namespace {
constexpr const char* kFormat = "caploop-sample-shard";
constexpr int64_t kVersion = 1;
}  // namespace

std::string shard_record_to_json(const ShardSampleRecord& r) {
  JsonWriter w(true);
  w.begin_object();
  w.field("format", kFormat);
  w.field("version", kVersion);
  w.field("plan_checksum", r.plan_checksum);
  w.field("seed", r.seed);
  w.field("shard", r.shard);
  w.field("output", r.output);
  w.field("lines", r.lines);
  w.field("docs", r.docs);
  w.field("output_lines", r.output_lines);
  w.field("output_tokens", r.output_tokens);
  w.key("streams").begin_array();
  for (const StreamDraw& s : r.streams) {
    w.begin_object();
    w.field("stream", s.stream);
    w.field("available_tokens", s.available_tokens);
    w.field("available_docs", s.available_docs);
    w.field("full_epochs", s.full_epochs);
    w.field("remainder_quota", s.remainder_quota);
    w.field("remainder_tokens", s.remainder_tokens);
    w.field("remainder_docs", s.remainder_docs);
    w.field("quota_tokens", s.quota_tokens);
    w.field("drawn_tokens", s.drawn_tokens);
    w.field("draws", s.draws);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  std::string out = w.take();
  out += "\n";
  return out;
}

ShardSampleRecord parse_shard_record(const std::string& json_text, const std::string& file) {
  JsonParser parser;
  const SourceLocation where{file, 0, ""};
  simdjson::dom::element root = parser.parse(json_text, where);
  if (json_string(root, "/format", where) != kFormat)
    throw_input_error("not a caploop sample record", {file, 0, "format"});
  if (json_int64(root, "/version", where) != kVersion)
    throw_input_error("unknown sample record version", {file, 0, "version"});
  ShardSampleRecord r;
  r.plan_checksum = std::string(json_string(root, "/plan_checksum", where));
  if (json_require(root, "/seed", where).get_uint64().get(r.seed) != simdjson::SUCCESS)
    throw_input_error("expected an unsigned integer", {file, 0, "seed"});
  r.shard = std::string(json_string(root, "/shard", where));
  r.output = std::string(json_string(root, "/output", where));
  r.lines = json_int64(root, "/lines", where);
  r.docs = json_int64(root, "/docs", where);
  r.output_lines = json_int64(root, "/output_lines", where);
  r.output_tokens = json_int64(root, "/output_tokens", where);
  simdjson::dom::array streams = json_array(root, "/streams", where);
  size_t i = 0;
  for (simdjson::dom::element e : streams) {
    const SourceLocation at = at_field(where, "/streams/" + std::to_string(i++));
    StreamDraw s;
    s.stream = std::string(json_string(e, "/stream", at));
    s.available_tokens = json_int64(e, "/available_tokens", at);
    s.available_docs = json_int64(e, "/available_docs", at);
    s.full_epochs = json_int64(e, "/full_epochs", at);
    s.remainder_quota = json_int64(e, "/remainder_quota", at);
    s.remainder_tokens = json_int64(e, "/remainder_tokens", at);
    s.remainder_docs = json_int64(e, "/remainder_docs", at);
    s.quota_tokens = json_int64(e, "/quota_tokens", at);
    s.drawn_tokens = json_int64(e, "/drawn_tokens", at);
    s.draws = json_int64(e, "/draws", at);
    r.streams.push_back(std::move(s));
  }
  return r;
}

}  // namespace caploop::sampling
