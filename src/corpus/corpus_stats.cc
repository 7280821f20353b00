#include "corpus/corpus_stats.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "core/json_writer.h"
#include "io/line_reader.h"

namespace caploop::corpus {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> sorted_union(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  return a;
}

std::string counts_json(const TagCounts& c) {
  return fmt::format("{{\"docs\": {}, \"bytes\": {}, \"tokens\": {}}}", c.docs, c.bytes, c.tokens);
}

}  // namespace

void CorpusStats::merge(const CorpusStats& o) {
  if (!tokenizer.empty() && !o.tokenizer.empty() && tokenizer != o.tokenizer)
    throw Error(ErrorKind::kConflict,
                fmt::format("token counts of tokenizer {} cannot be added to those of {}", o.tokenizer, tokenizer),
                {"", 0, "tokenizer"});
  if (taxonomy.empty()) taxonomy = o.taxonomy;
  if (tokenizer.empty()) tokenizer = o.tokenizer;
  shards += o.shards;
  lines += o.lines;
  skipped += o.skipped;
  total.add(o.total);
  for (const auto& [k, v] : o.tags) tags[k].add(v);
  for (const auto& [k, v] : o.cooccurrence) cooccurrence[k].add(v);
  inputs = sorted_union(std::move(inputs), o.inputs);
  errors = sorted_union(std::move(errors), o.errors);
}

std::string CorpusStats::to_json() const {
  std::string out = "{\n";
  out += fmt::format("  \"format\": \"caploop-corpus-stats/2\",\n  \"taxonomy\": {},\n", json_string_literal(taxonomy));
  out += fmt::format("  \"tokenizer\": {},\n", json_string_literal(tokenizer));
  out += fmt::format("  \"shards\": {},\n  \"lines\": {},\n  \"skipped\": {},\n", shards, lines, skipped);
  out += fmt::format("  \"docs\": {},\n  \"bytes\": {},\n  \"tokens\": {},\n", total.docs, total.bytes, total.tokens);
  out += "  \"tags\": {";
  bool first = true;
  for (const auto& [k, v] : tags) {
    out += fmt::format("{}\n    {}: {}", first ? "" : ",", json_string_literal(k), counts_json(v));
    first = false;
  }
  out += first ? "},\n" : "\n  },\n";
  out += "  \"cooccurrence\": {";
  first = true;
  for (const auto& [k, v] : cooccurrence) {
    out += fmt::format("{}\n    {}: {}", first ? "" : ",", json_string_literal(k), counts_json(v));
    first = false;
  }
  out += first ? "},\n" : "\n  },\n";
  auto list = [&](const char* name, const std::vector<std::string>& items, bool last) {
    out += fmt::format("  \"{}\": [", name);
    for (size_t i = 0; i < items.size(); ++i)
      out += fmt::format("{}\n    {}", i ? "," : "", json_string_literal(items[i]));
    out += items.empty() ? "]" : "\n  ]";
    out += last ? "\n" : ",\n";
  };
  list("inputs", inputs, false);
  list("errors", errors, true);
  out += "}\n";
  return out;
}

CorpusStats parse_corpus_stats(const std::string& json, const std::string& file) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(json).get(root))
    throw_input_error(fmt::format("not valid JSON: {}", simdjson::error_message(err)), {file, 0, ""});
  auto fail = [&](const std::string& field, const std::string& why) { throw_input_error(why, {file, 0, field}); };
  std::string_view format;
  if (root["format"].get(format) || format != "caploop-corpus-stats/2")
    fail("format", "not a caploop corpus statistics file (format must be \"caploop-corpus-stats/2\")");
  auto u64 = [&](simdjson::dom::element e, const std::string& field) {
    uint64_t v = 0;
    if (e.get(v)) fail(field, "must be a non-negative integer");
    return v;
  };
  auto counts = [&](simdjson::dom::element e, const std::string& field) {
    TagCounts c;
    c.docs = u64(e["docs"].value_unsafe(), field + ".docs");
    c.bytes = u64(e["bytes"].value_unsafe(), field + ".bytes");
    c.tokens = u64(e["tokens"].value_unsafe(), field + ".tokens");
    return c;
  };
  CorpusStats s;
  std::string_view tax;
  if (root["taxonomy"].get(tax)) fail("taxonomy", "must be a string");
  s.taxonomy = std::string(tax);
  // Written since the tokenizer option; older files counted with the estimate.
  std::string_view tokenizer = "estimate:bytes/4";
  if (!root["tokenizer"].error() && root["tokenizer"].get(tokenizer)) fail("tokenizer", "must be a string");
  s.tokenizer = std::string(tokenizer);
  for (const char* key : {"shards", "lines", "skipped", "docs", "bytes", "tokens"}) {
    simdjson::dom::element e;
    if (root[key].get(e)) fail(key, "missing");
    uint64_t v = u64(e, key);
    std::string_view k = key;
    if (k == "shards")
      s.shards = v;
    else if (k == "lines")
      s.lines = v;
    else if (k == "skipped")
      s.skipped = v;
    else if (k == "docs")
      s.total.docs = v;
    else if (k == "bytes")
      s.total.bytes = v;
    else
      s.total.tokens = v;
  }
  simdjson::dom::object tags, co;
  if (root["tags"].get(tags)) fail("tags", "must be an object");
  auto count_map = [&](simdjson::dom::object obj, const std::string& name, std::map<std::string, TagCounts>& into) {
    for (auto [k, v] : obj) {
      simdjson::dom::object o;
      std::string field = name + "." + std::string(k);
      if (v.get(o)) fail(field, "must be an object with docs, bytes, tokens");
      for (const char* need : {"docs", "bytes", "tokens"})
        if (o[need].error()) fail(field + "." + need, "missing");
      into[std::string(k)] = counts(v, field);
    }
  };
  count_map(tags, "tags", s.tags);
  if (root["cooccurrence"].get(co)) fail("cooccurrence", "must be an object");
  count_map(co, "cooccurrence", s.cooccurrence);
  for (const char* key : {"inputs", "errors"}) {
    simdjson::dom::array arr;
    if (root[key].get(arr)) fail(key, "must be an array of strings");
    for (auto e : arr) {
      std::string_view v;
      if (e.get(v)) fail(key, "must be an array of strings");
      (std::string_view(key) == "inputs" ? s.inputs : s.errors).emplace_back(v);
    }
  }
  return s;
}

CorpusStats merge_stats_files(const std::vector<std::string>& dirs_or_files, std::vector<std::string>* files_read) {
  std::vector<std::string> files;
  for (const auto& d : dirs_or_files) {
    std::error_code ec;
    if (fs::is_regular_file(d, ec)) {
      files.push_back(d);
      continue;
    }
    if (!fs::is_directory(d, ec)) throw Error(ErrorKind::kNotFound, "no such directory or file", {d, 0, ""});
    for (auto it = fs::recursive_directory_iterator(d, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      std::string p = it->path().string();
      if (it->is_regular_file() && p.ends_with(".stats.json")) files.push_back(p);
    }
    if (ec) throw Error(ErrorKind::kIo, fmt::format("cannot list: {}", ec.message()), {d, 0, ""});
  }
  std::sort(files.begin(), files.end());
  CorpusStats merged;
  for (const auto& f : files) {
    CorpusStats one = parse_corpus_stats(read_whole_file(f, size_t{1} << 30), f);
    if (!merged.taxonomy.empty() && one.taxonomy != merged.taxonomy)
      throw Error(ErrorKind::kConflict,
                  fmt::format("tagged with taxonomy {}, but {} was tagged with {}; statistics of different "
                              "taxonomies do not add up",
                              one.taxonomy, files.front(), merged.taxonomy),
                  {f, 0, "taxonomy"});
    if (!merged.tokenizer.empty() && one.tokenizer != merged.tokenizer)
      throw Error(ErrorKind::kConflict,
                  fmt::format("tokens counted by {}, but {} counted them with {}; token counts of different "
                              "tokenizers do not add up",
                              one.tokenizer, files.front(), merged.tokenizer),
                  {f, 0, "tokenizer"});
    merged.merge(one);
  }
  if (files_read) *files_read = files;
  return merged;
}

}  // namespace caploop::corpus
