#include "mapping/slice_mapping_json.h"

#include <map>

namespace caploop {

namespace {

void write_source(JsonWriter& out, const WeakSliceSource& s) {
  out.key("source").begin_object();
  out.field("file", s.file);
  out.field("kind", s.kind);
  out.field("verdict", s.verdict ? verdict_name(*s.verdict) : "");
  out.field("cause", cause_name_or_empty(s.cause));
  out.field("baseline", s.baseline);
  out.field("candidate", s.candidate);
  out.field("checksum", s.checksum);
  out.end_object();
}

void write_rules_header(JsonWriter& out, const MappingRules& rules) {
  out.key("mapping").begin_object();
  out.field("name", rules.name);
  out.field("version", rules.version);
  out.field("source", rules.source);
  out.field("fingerprint", rules.fingerprint);
  out.field("rules", static_cast<int64_t>(rules.rules.size()));
  out.end_object();
}

}  // namespace

void write_slice_mapping_json(JsonWriter& out, const WeakSliceList& slices, const MappingRules& rules,
                              const SliceMapping& mapping) {
  std::map<std::string, const MappingRule*> by_id;
  for (const MappingRule& r : rules.rules) by_id.emplace(r.id, &r);
  out.begin_object();
  write_source(out, slices.source);
  write_rules_header(out, rules);
  out.key("slices").begin_array();
  for (const SliceMappingRow& row : mapping.rows) {
    const WeakSlice& s = *row.slice;
    out.begin_object();
    out.field("id", s.id);
    out.field("tags", s.tags);
    out.key("equivalent").begin_array();
    for (const auto& tags : s.equivalent) out.value(tags);
    out.end_array();
    out.field("n", s.n);
    out.field("severity", s.severity);
    out.field("baseline_accuracy", s.baseline_accuracy);
    out.field("split", s.split);
    out.key("operations").begin_array();
    for (const WeakSlicePart& p : s.operations) {
      out.begin_object();
      out.field("tags", p.tags);
      out.field("n", p.n);
      out.field("deficit", p.deficit);
      out.field("q_value", p.q_value);
      out.field("deficit_share", p.deficit_share);
      out.end_object();
    }
    out.end_array();
    out.field("status", slice_status_name(row.status));
    out.key("rules").begin_array();
    for (const FiredRule& f : row.fired) {
      out.begin_object();
      out.field("id", f.rule_id);
      out.field("matched_tag", f.matched_tag);
      out.field("path", f.path);
      out.field("share", f.share);
      out.key("category");
      if (f.category.empty()) {
        out.null();
        out.key("weight").null();
      } else {
        out.value(f.category);
        out.field("weight", f.weight);
      }
      auto rule = by_id.find(f.rule_id);
      out.field("reason", rule == by_id.end() ? std::string() : rule->second->reason);
      out.end_object();
    }
    out.end_array();
    out.end_object();
  }
  out.end_array();
  out.field("categories", mapping.categories);
  out.key("gaps").begin_array();
  for (const SliceMappingRow& row : mapping.rows) {
    if (row.status != SliceStatus::kUnmapped) continue;
    out.begin_object();
    out.field("id", row.slice->id);
    out.field("tags", row.slice->tags);
    out.field("n", row.slice->n);
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

}  // namespace caploop
