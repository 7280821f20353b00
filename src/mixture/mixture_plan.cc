#include "mixture/mixture_plan.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <limits>
#include <ostream>

#include "core/enum_names.h"
#include "core/error.h"
#include "io/json_fields.h"
#include "io/json_parser.h"
#include "io/line_reader.h"
#include "mixture/hypothesis_metric.h"

namespace caploop {

namespace {

constexpr EnumNames<StreamKind, 2> kStreamKinds = {{{StreamKind::kBase, "base"}, {StreamKind::kTarget, "target"}}};

}  // namespace

std::string_view stream_kind_name(StreamKind kind) { return enum_name(kStreamKinds, kind); }
std::optional<StreamKind> parse_stream_kind(std::string_view name) { return parse_enum(kStreamKinds, name); }
std::ostream& operator<<(std::ostream& out, StreamKind kind) { return out << stream_kind_name(kind); }

namespace {

constexpr const char* kPlanFormat = "caploop-plan";
constexpr int64_t kPlanVersion = 1;

void write_options(JsonWriter& out, const PlanOptions& o) {
  out.key("options").begin_object();
  out.field("budget_tokens", o.budget_tokens);
  out.field("max_epochs", o.max_epochs);
  out.field("max_category_share", o.max_category_share);
  out.field("min_base_share", o.min_base_share);
  out.field("base_axis", o.base_axis);
  out.field("alpha", o.alpha);
  out.field("power", o.power);
  out.field("guard_margin", o.guard_margin);
  out.field("plausible_gain", o.plausible_gain);
  out.end_object();
}

void write_corpus(JsonWriter& out, const PlanCorpus& c) {
  out.key("corpus").begin_object();
  out.field("stats_dirs", c.stats_dirs);
  out.field("taxonomy", c.taxonomy);
  out.field("tokenizer", c.tokenizer);
  out.field("docs", c.docs);
  out.field("tokens", c.tokens);
  out.key("shards").begin_array();
  for (const auto& s : c.shards) {
    out.begin_object();
    out.field("path", s.path);
    out.field("stats_file", s.stats_file);
    out.field("checksum", s.checksum);
    out.field("lines", s.lines);
    out.field("docs", s.docs);
    out.field("tokens", s.tokens);
    out.key("stream_tokens").begin_object();
    for (const auto& [name, tokens] : s.stream_tokens) out.field(name, tokens);
    out.end_object();
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

void write_slice(JsonWriter& out, const PlanSlice& s) {
  out.begin_object();
  out.field("id", s.id);
  out.field("tags", s.tags);
  out.field("n", s.n);
  out.field("severity", s.severity);
  out.field("baseline_accuracy", s.baseline_accuracy);
  out.field("q_value", s.q_value);
  out.field("status", slice_status_name(s.status));
  out.field("rules", s.rules);
  out.field("items", s.items);
  out.end_object();
}

void write_stream(JsonWriter& out, const PlanStream& s) {
  out.begin_object();
  out.field("name", s.name);
  out.field("kind", stream_kind_name(s.kind));
  out.field("tags", s.tags);
  out.field("available_tokens", s.available_tokens);
  out.field("available_docs", s.available_docs);
  out.field("demand", s.demand);
  out.field("quota_tokens", s.quota_tokens);
  out.field("full_epochs", s.full_epochs);
  out.field("remainder_tokens", s.remainder_tokens);
  out.field("epochs", s.epochs);
  out.field("share", s.share);
  out.field("capped_by", quota_cap_name(s.capped_by));
  out.key("links").begin_array();
  for (const auto& l : s.links) {
    out.begin_object();
    out.field("slice_id", l.slice_id);
    out.field("rule_id", l.rule_id);
    out.field("matched_tag", l.matched_tag);
    out.field("weight", l.weight);
    out.field("demand", l.demand);
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

void write_hypothesis(JsonWriter& out, const PlanHypothesis& h) {
  out.begin_object();
  out.field("id", h.id);
  out.field("kind", h.kind);
  out.field("description", h.description);
  out.field("slice_tags", h.slice_tags);
  out.field("items", h.items);
  out.field("n", h.n);
  out.field("baseline_accuracy", h.baseline_accuracy);
  out.field("min_effect", h.min_effect);  // +infinity (not detectable at this n) is written as null
  out.field("margin", h.margin);
  out.field("alpha", h.alpha);
  out.field("streams", h.streams);
  if (h.metric != "accuracy") out.field("metric", h.metric);
  out.end_object();
}

// Escapes a key for use inside a JSON pointer (RFC 6901).
std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

// Reads the fields of one JSON object whose pointer from the document root is `at.field`.
class FieldReader {
 public:
  FieldReader(simdjson::dom::element object, SourceLocation at) : object_(object), at_(std::move(at)) {
    as_object(object_, "", at_);
  }

  std::string str(std::string_view key) const { return std::string(json_string(object_, ptr(key), at_)); }

  int64_t int64(std::string_view key) const { return json_int64(object_, ptr(key), at_); }

  double number(std::string_view key) const { return as_number(json_require(object_, ptr(key), at_), ptr(key), at_); }

  // A number that may be null, read as +infinity (what JsonWriter writes for a non-finite value).
  double number_or_infinity(std::string_view key) const {
    simdjson::dom::element v = json_require(object_, ptr(key), at_);
    if (v.is_null()) return std::numeric_limits<double>::infinity();
    return as_number(v, ptr(key), at_);
  }

  std::vector<std::string> strings(std::string_view key) const {
    std::vector<std::string> out;
    size_t i = 0;
    for (simdjson::dom::element e : json_array(object_, ptr(key), at_))
      out.emplace_back(as_string(e, fmt::format("{}/{}", ptr(key), i++), at_));
    return out;
  }

  // Calls f(FieldReader) for each object of the array at `key`.
  template <typename F>
  void each(std::string_view key, F&& f) const {
    size_t i = 0;
    for (simdjson::dom::element e : json_array(object_, ptr(key), at_))
      f(FieldReader(e, at_field(at_, fmt::format("{}/{}", ptr(key), i++))));
  }

  FieldReader child(std::string_view key) const {
    return FieldReader(json_require(object_, ptr(key), at_), at_field(at_, ptr(key)));
  }

  std::map<std::string, int64_t> int_map(std::string_view key) const {
    std::map<std::string, int64_t> out;
    for (auto [k, v] : json_object(object_, ptr(key), at_)) {
      std::string p = fmt::format("{}/{}", ptr(key), pointer_token(k));
      int64_t n;
      if (v.get_int64().get(n) != simdjson::SUCCESS)
        throw_input_error(fmt::format("expected an integer, found {}", json_type_name(v)), at_field(at_, p));
      out.emplace(std::string(k), n);
    }
    return out;
  }

  bool has(std::string_view key) const { return json_find(object_, ptr(key), at_).has_value(); }

  SourceLocation location(std::string_view key) const { return at_field(at_, ptr(key)); }

  [[noreturn]] void fail(std::string_view key, const std::string& message) const {
    throw_input_error(message, at_field(at_, ptr(key)));
  }

 private:
  static std::string ptr(std::string_view key) { return "/" + pointer_token(key); }
  simdjson::dom::element object_;
  SourceLocation at_;
};

PlanOptions read_options(const FieldReader& r) {
  PlanOptions o;
  o.budget_tokens = r.int64("budget_tokens");
  o.max_epochs = r.number("max_epochs");
  o.max_category_share = r.number("max_category_share");
  o.min_base_share = r.number("min_base_share");
  o.base_axis = r.str("base_axis");
  o.alpha = r.number("alpha");
  o.power = r.number("power");
  o.guard_margin = r.number("guard_margin");
  if (r.has("plausible_gain")) o.plausible_gain = r.number("plausible_gain");  // older plans: the default
  return o;
}

PlanCorpus read_corpus(const FieldReader& r) {
  PlanCorpus c;
  c.stats_dirs = r.strings("stats_dirs");
  c.taxonomy = r.str("taxonomy");
  c.tokenizer = r.str("tokenizer");
  c.docs = r.int64("docs");
  c.tokens = r.int64("tokens");
  r.each("shards", [&](const FieldReader& s) {
    PlanShard shard;
    shard.path = s.str("path");
    shard.stats_file = s.str("stats_file");
    shard.checksum = s.str("checksum");
    shard.lines = s.int64("lines");
    shard.docs = s.int64("docs");
    shard.tokens = s.int64("tokens");
    shard.stream_tokens = s.int_map("stream_tokens");
    c.shards.push_back(std::move(shard));
  });
  return c;
}

PlanSlice read_slice(const FieldReader& r) {
  PlanSlice s;
  s.id = r.str("id");
  s.tags = r.strings("tags");
  s.n = r.int64("n");
  s.severity = r.number("severity");
  s.baseline_accuracy = r.number("baseline_accuracy");
  s.q_value = r.number("q_value");
  const std::string status = r.str("status");
  const std::optional<SliceStatus> parsed = parse_slice_status(status);
  if (!parsed) {
    r.fail("status",
           fmt::format("unknown slice status \"{}\" (expected mapped, not_data, unmapped or no_documents)", status));
  }
  s.status = *parsed;
  s.rules = r.strings("rules");
  s.items = r.strings("items");
  return s;
}

PlanStream read_stream(const FieldReader& r) {
  PlanStream s;
  s.name = r.str("name");
  const std::optional<StreamKind> kind = parse_stream_kind(r.str("kind"));
  if (!kind) r.fail("kind", "must be \"base\" or \"target\"");
  s.kind = *kind;
  s.tags = r.strings("tags");
  s.available_tokens = r.int64("available_tokens");
  s.available_docs = r.int64("available_docs");
  s.demand = r.number("demand");
  s.quota_tokens = r.int64("quota_tokens");
  s.full_epochs = r.int64("full_epochs");
  s.remainder_tokens = r.int64("remainder_tokens");
  s.epochs = r.number("epochs");
  s.share = r.number("share");
  const std::string capped_by = r.str("capped_by");
  const std::optional<QuotaCap> cap = parse_quota_cap(capped_by);
  if (!cap) {
    r.fail("capped_by",
           fmt::format("unknown cap \"{}\" (expected \"\", \"max_epochs\" or \"max_category_share\")", capped_by));
  }
  s.capped_by = *cap;
  r.each("links", [&](const FieldReader& l) {
    PlanLink link;
    link.slice_id = l.str("slice_id");
    link.rule_id = l.str("rule_id");
    link.matched_tag = l.str("matched_tag");
    link.weight = l.number("weight");
    link.demand = l.number("demand");
    s.links.push_back(std::move(link));
  });
  return s;
}

PlanHypothesis read_hypothesis(const FieldReader& r, bool expectation = false) {
  PlanHypothesis h;
  h.id = r.str("id");
  h.kind = r.str("kind");
  if (expectation) {
    if (h.kind != "bounded" && h.kind != "guard") r.fail("kind", "must be \"bounded\" or \"guard\"");
  } else if (h.kind != "target" && h.kind != "guard") {
    r.fail("kind", "must be \"target\" or \"guard\"");
  }
  h.description = r.str("description");
  h.slice_tags = r.strings("slice_tags");
  h.items = r.strings("items");
  h.n = r.int64("n");
  h.baseline_accuracy = r.number("baseline_accuracy");
  h.min_effect = r.number_or_infinity("min_effect");
  h.margin = r.number("margin");
  h.alpha = r.number("alpha");
  h.streams = r.strings("streams");
  if (r.has("metric")) {
    h.metric = r.str("metric");
    pass_k_of_metric(h.metric, r.location("metric"));
  }
  return h;
}

}  // namespace

void write_plan_json(JsonWriter& out, const MixturePlan& plan) {
  out.begin_object();
  out.field("format", plan.format);
  out.field("version", plan.version);
  out.key("weaknesses").begin_object();
  out.field("file", plan.weakness_file);
  out.field("kind", plan.weakness_kind);
  out.field("checksum", plan.weakness_checksum);
  out.field("verdict", plan.verdict ? verdict_name(*plan.verdict) : "");
  out.field("baseline", plan.baseline);
  out.field("candidate", plan.candidate);
  out.end_object();
  out.key("mapping").begin_object();
  out.field("name", plan.mapping_name);
  out.field("source", plan.mapping_source);
  out.field("fingerprint", plan.mapping_fingerprint);
  out.end_object();
  write_options(out, plan.options);
  write_corpus(out, plan.corpus);
  out.field("base_tokens", plan.base_tokens);
  out.field("target_tokens", plan.target_tokens);
  out.key("slices").begin_array();
  for (const auto& s : plan.slices) write_slice(out, s);
  out.end_array();
  out.key("streams").begin_array();
  for (const auto& s : plan.streams) write_stream(out, s);
  out.end_array();
  out.key("hypotheses").begin_array();
  for (const auto& h : plan.hypotheses) write_hypothesis(out, h);
  out.end_array();
  out.field("notes", plan.notes);
  if (plan.control) {
    const PlanControl& c = *plan.control;
    out.key("control").begin_object();
    out.field("mixture", c.mixture);
    out.field("mixture_checksum", c.mixture_checksum);
    out.field("budget_tokens", c.budget_tokens);
    out.key("streams").begin_array();
    for (const auto& s : c.streams) write_stream(out, s);
    out.end_array();
    out.key("expectations").begin_array();
    for (const auto& h : c.expectations) write_hypothesis(out, h);
    out.end_array();
    out.field("notes", c.notes);
    out.end_object();
  }
  out.end_object();
}

std::string plan_to_json(const MixturePlan& plan) {
  JsonWriter out(/*pretty=*/true);
  write_plan_json(out, plan);
  std::string text = out.take();
  text.push_back('\n');
  return text;
}

MixturePlan parse_plan(const std::string& json_text, const std::string& file_name) {
  JsonParser parser;
  SourceLocation at{file_name, 0, ""};
  simdjson::dom::element root = parser.parse(json_text, at);
  FieldReader r(root, at);
  MixturePlan plan;
  plan.format = r.str("format");
  if (plan.format != kPlanFormat)
    r.fail("format", fmt::format("not a caploop plan: format is \"{}\", expected \"{}\"", plan.format, kPlanFormat));
  plan.version = r.int64("version");
  if (plan.version != kPlanVersion)
    r.fail("version", fmt::format("plan format version {} is not supported (this caploop reads version {})",
                                  plan.version, kPlanVersion));
  FieldReader weaknesses = r.child("weaknesses");
  plan.weakness_file = weaknesses.str("file");
  plan.weakness_kind = weaknesses.str("kind");
  plan.weakness_checksum = weaknesses.str("checksum");
  const std::string verdict = weaknesses.str("verdict");
  if (!verdict.empty()) {
    plan.verdict = parse_verdict(verdict);
    if (!plan.verdict) {
      weaknesses.fail("verdict", fmt::format("unknown verdict \"{}\" (expected data_ruled_out, data_ruled_in, "
                                             "improved, no_significant_change, inconclusive or \"\")",
                                             verdict));
    }
  }
  plan.baseline = weaknesses.str("baseline");
  plan.candidate = weaknesses.str("candidate");
  FieldReader mapping = r.child("mapping");
  plan.mapping_name = mapping.str("name");
  plan.mapping_source = mapping.str("source");
  plan.mapping_fingerprint = mapping.str("fingerprint");
  plan.options = read_options(r.child("options"));
  plan.corpus = read_corpus(r.child("corpus"));
  plan.base_tokens = r.int64("base_tokens");
  plan.target_tokens = r.int64("target_tokens");
  r.each("slices", [&](const FieldReader& s) { plan.slices.push_back(read_slice(s)); });
  r.each("streams", [&](const FieldReader& s) { plan.streams.push_back(read_stream(s)); });
  r.each("hypotheses", [&](const FieldReader& h) { plan.hypotheses.push_back(read_hypothesis(h)); });
  plan.notes = r.strings("notes");
  if (r.has("control")) {
    FieldReader c = r.child("control");
    PlanControl control;
    control.mixture = c.str("mixture");
    control.mixture_checksum = c.str("mixture_checksum");
    control.budget_tokens = c.int64("budget_tokens");
    c.each("streams", [&](const FieldReader& s) { control.streams.push_back(read_stream(s)); });
    c.each("expectations", [&](const FieldReader& h) { control.expectations.push_back(read_hypothesis(h, true)); });
    control.notes = c.strings("notes");
    plan.control = std::move(control);
  }
  return plan;
}

MixturePlan read_plan(const std::string& path) { return parse_plan(read_whole_file(path, size_t{1} << 30), path); }

}  // namespace caploop
