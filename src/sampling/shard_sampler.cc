#include "sampling/shard_sampler.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "core/error.h"
#include "core/fault_point.h"
#include "core/json_writer.h"
#include "corpus/compressed_writer.h"
#include "io/json_fields.h"
#include "io/json_parser.h"
#include "io/line_reader.h"
#include "sampling/sample_key.h"
#include "sampling/sample_paths.h"
#include "sampling/token_draw.h"

namespace caploop::sampling {

namespace fs = std::filesystem;

namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;

// A document id as the tag run derived it: the id field's string, a number's JSON text, or the line number.
struct DocumentId {
  bool is_string = true;
  std::string text;
  bool operator==(const DocumentId&) const = default;
  std::string json() const {
    if (!is_string) return text;
    std::string out;
    append_json_string(out, text);
    return out;
  }
};

std::optional<DocumentId> json_id(simdjson::dom::element e) {
  std::string_view s;
  if (!e.get(s)) return DocumentId{true, std::string(s)};
  if (e.is_int64() || e.is_uint64() || e.is_double()) return DocumentId{false, simdjson::minify(e)};
  return std::nullopt;
}

// Mirrors corpus/tag_run.cc: the id field when it is a string or number, else the 1-based line number.
DocumentId document_id(simdjson::dom::element doc, std::string_view id_field, int64_t line) {
  if (auto el = json_find_dotted(doc, id_field))
    if (auto id = json_id(*el)) return *id;
  return DocumentId{true, std::to_string(line)};
}

// Removes its temporary files when the writing fails (a full disk, a read error): a failed shard leaves no
// "*.tmp" behind. Destroyed after its writers, so the files are closed first.
class TempFiles {
 public:
  explicit TempFiles(std::vector<fs::path> paths) : paths_(std::move(paths)) {}
  ~TempFiles() {
    if (kept_) return;
    std::error_code ec;
    for (const fs::path& p : paths_) fs::remove(p, ec);
  }
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;
  void keep() { kept_ = true; }  // renamed into place: nothing left to remove

 private:
  std::vector<fs::path> paths_;
  bool kept_ = false;
};

void rename_into_place(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw Error(ErrorKind::kIo, fmt::format("cannot rename into place: {}", ec.message()), {to.string(), 0, ""});
}

// Which of the plan's streams a document belongs to, from the attribute names on its row.
class StreamMatcher {
 public:
  explicit StreamMatcher(const MixturePlan& plan) {
    for (const PlanStream& s : plan.streams) {
      std::vector<int> ids;
      for (const std::string& tag : s.tags) {
        auto [it, added] = tag_ids_.emplace(tag, static_cast<int>(tag_ids_.size()));
        ids.push_back(it->second);
      }
      stream_tags_.push_back(std::move(ids));
    }
    present_.assign(tag_ids_.size(), 0);
  }
  void clear() {
    for (int t : touched_) present_[t] = 0;
    touched_.clear();
  }
  void add(std::string_view attribute) {
    auto it = tag_ids_.find(attribute);
    if (it == tag_ids_.end() || present_[it->second]) return;
    present_[it->second] = 1;
    touched_.push_back(it->second);
  }
  bool member(size_t stream) const {
    for (int t : stream_tags_[stream])
      if (!present_[t]) return false;
    return true;
  }

 private:
  std::map<std::string, int, std::less<>> tag_ids_;
  std::vector<std::vector<int>> stream_tags_;
  std::vector<char> present_;
  std::vector<int> touched_;
};

// One output line group: document `line` drawn `count` times in stream `stream` (epochs 1..count).
struct Draw {
  uint32_t line = 0;
  uint32_t stream = 0;
  uint32_t count = 0;
};

struct FirstPass {
  int64_t lines = 0;
  int64_t docs = 0;
  std::vector<std::vector<Candidate>> members;  // per stream
  std::vector<int64_t> tokens;                  // per stream: tokens of its documents here
};

FirstPass read_memberships(const ShardSampleJob& job, Progress* progress) {
  const MixturePlan& plan = *job.plan;
  const std::string doc_file = job.documents.string();
  const std::string attr_file = job.attributes.string();
  std::error_code ec;
  if (!fs::exists(job.attributes, ec))
    throw Error(ErrorKind::kNotFound,
                "attribute file of the shard is missing (tag the shard with `caploop corpus tag`, or point "
                "--attributes at the tag run's output folder)",
                {attr_file, 0, ""});
  std::vector<StreamKeyer> keyers;
  for (const PlanStream& s : plan.streams) keyers.emplace_back(job.seed, s.name);
  StreamMatcher matcher(plan);
  FirstPass r;
  r.members.resize(plan.streams.size());
  r.tokens.assign(plan.streams.size(), 0);

  LineReader docs(job.documents);
  LineReader attrs(job.attributes);
  JsonParser doc_parser, attr_parser;
  std::string_view doc_line, attr_line;
  uint64_t reported = 0;
  while (docs.next(doc_line)) {
    const int64_t line = docs.line_number();
    r.lines = line;
    if (line > std::numeric_limits<uint32_t>::max())
      throw_input_error("shard has more than 2^32 lines; split it", {doc_file, line, ""});
    if (!attrs.next(attr_line))
      throw_input_error(fmt::format("attribute file ends after {} rows but the documents go on: it does not belong "
                                    "to these documents",
                                    line - 1),
                        {attr_file, line, ""});
    if ((line & 0xfff) == 0 && progress) {
      progress->advance(docs.bytes_read() - reported);
      reported = docs.bytes_read();
    }
    const SourceLocation attr_at{attr_file, line, ""};
    simdjson::dom::element row = attr_parser.parse(attr_line, attr_at);
    simdjson::dom::object row_object;
    if (row.get(row_object)) throw_input_error("attribute row is not a JSON object", attr_at);
    if (simdjson::dom::element error_field; !row_object.at_key("error").get(error_field))
      continue;  // a line the tag run skipped as malformed: in no stream
    simdjson::dom::element id_field;
    std::optional<DocumentId> row_id;
    if (!row_object.at_key("id").get(id_field)) row_id = json_id(id_field);
    if (!row_id) throw_input_error("attribute row has no string or number id", {attr_file, line, "id"});
    simdjson::dom::element attributes_field;
    simdjson::dom::object attributes;
    if (row_object.at_key("attributes").get(attributes_field) || attributes_field.get(attributes))
      throw_input_error("attribute row has no 'attributes' object", {attr_file, line, "attributes"});

    simdjson::dom::element doc = doc_parser.parse(doc_line, {doc_file, line, ""});
    DocumentId doc_id = document_id(doc, job.id_field, line);
    if (!(doc_id == *row_id))
      throw_input_error(fmt::format("attribute row has id {} but line {} of {} has id {}: the attribute file is not "
                                    "aligned with the documents (or --id-field differs from the tag run's)",
                                    row_id->json(), line, doc_file, doc_id.json()),
                        {attr_file, line, "id"});
    std::string_view text;
    auto text_el = json_find_dotted(doc, job.text_field);
    if (!text_el || text_el->get(text))
      throw_input_error(fmt::format("document has no string field '{}' although the tag run read one (is --text-field "
                                    "the one the tag run used?)",
                                    job.text_field),
                        {doc_file, line, job.text_field});
    const uint64_t tokens = job.tokens->count(text);
    if (tokens > std::numeric_limits<uint32_t>::max())
      throw_input_error("document has more than 2^32 tokens", {doc_file, line, job.text_field});
    ++r.docs;

    matcher.clear();
    for (auto [name, value] : attributes) matcher.add(name);
    for (size_t k = 0; k < plan.streams.size(); ++k) {
      if (!matcher.member(k)) continue;
      r.members[k].push_back({keyers[k].key(row_id->text), static_cast<uint32_t>(line), static_cast<uint32_t>(tokens)});
      r.tokens[k] += static_cast<int64_t>(tokens);
    }
  }
  if (attrs.next(attr_line))
    throw_input_error(fmt::format("attribute file has more rows than the {} lines of {}", r.lines, doc_file),
                      {attr_file, attrs.line_number(), ""});
  if (progress) progress->advance(docs.bytes_read() - reported);
  return r;
}

void check_against_plan(const ShardSampleJob& job, const FirstPass& first) {
  const PlanShard& shard = job.plan->corpus.shards[job.shard];
  const std::string doc_file = job.documents.string();
  if (first.lines != shard.lines)
    throw Error(ErrorKind::kConflict,
                fmt::format("shard has {} lines but the plan counted {}: the corpus changed since the plan",
                            first.lines, shard.lines),
                {doc_file, 0, ""});
  if (first.docs != shard.docs)
    throw Error(ErrorKind::kConflict,
                fmt::format("shard has {} tagged documents but the plan counted {}: the corpus changed since the plan",
                            first.docs, shard.docs),
                {doc_file, 0, ""});
  for (size_t k = 0; k < job.plan->streams.size(); ++k) {
    const std::string& name = job.plan->streams[k].name;
    auto it = shard.stream_tokens.find(name);
    const int64_t planned = it == shard.stream_tokens.end() ? 0 : it->second;
    if (first.tokens[k] != planned)
      throw Error(
          ErrorKind::kConflict,
          fmt::format("stream '{}': the shard's documents hold {} tokens but the plan counted {}: the documents, "
                      "their attributes or --text-field differ from what the plan was computed from",
                      name, first.tokens[k], planned),
          {doc_file, 0, ""});
  }
}

// Decides every draw of the shard; fills the per-stream part of the record. Releases the memberships.
std::vector<Draw> decide_draws(const ShardSampleJob& job, FirstPass& first, ShardSampleRecord& record) {
  std::vector<Draw> draws;
  for (size_t k = 0; k < job.plan->streams.size(); ++k) {
    const PlanStream& stream = job.plan->streams[k];
    std::vector<Candidate>& members = first.members[k];
    StreamDraw s;
    s.stream = stream.name;
    s.available_tokens = first.tokens[k];
    s.available_docs = static_cast<int64_t>(members.size());
    s.full_epochs = stream.full_epochs;
    s.remainder_quota = job.remainder_quotas[k];
    DrawResult drawn = draw_to_quota(members, s.remainder_quota);
    s.remainder_tokens = drawn.tokens;
    s.remainder_docs = static_cast<int64_t>(drawn.taken);
    s.quota_tokens = s.full_epochs * s.available_tokens + s.remainder_quota;
    s.drawn_tokens = s.full_epochs * s.available_tokens + s.remainder_tokens;
    s.draws = s.full_epochs * s.available_docs + s.remainder_docs;
    for (size_t i = 0; i < members.size(); ++i) {
      const int64_t count = s.full_epochs + (drawn.taken_flags[i] ? 1 : 0);
      if (count > 0) draws.push_back({members[i].line, static_cast<uint32_t>(k), static_cast<uint32_t>(count)});
    }
    record.output_lines += s.draws;
    record.output_tokens += s.drawn_tokens;
    record.streams.push_back(std::move(s));
    std::vector<Candidate>().swap(members);
  }
  std::sort(draws.begin(), draws.end(),
            [](const Draw& a, const Draw& b) { return a.line != b.line ? a.line < b.line : a.stream < b.stream; });
  return draws;
}

void write_draws(const ShardSampleJob& job, const std::vector<Draw>& draws, const SamplePaths& paths,
                 Progress* progress) {
  const std::string doc_file = job.documents.string();
  std::error_code ec;
  fs::create_directories(paths.output.parent_path(), ec);
  if (ec)
    throw Error(ErrorKind::kIo, fmt::format("cannot create folder: {}", ec.message()),
                {paths.output.parent_path().string(), 0, ""});
  std::string shard_json, stream_json;
  append_json_string(shard_json, job.plan->corpus.shards[job.shard].path);
  std::vector<std::string> stream_names;
  for (const PlanStream& s : job.plan->streams) {
    std::string n;
    append_json_string(n, s.name);
    stream_names.push_back(std::move(n));
  }
  const fs::path output_tmp = temp_path(paths.output), manifest_tmp = temp_path(paths.manifest);
  TempFiles temps({output_tmp, manifest_tmp});
  {
    corpus::CompressedWriter output(output_tmp, paths.output);
    corpus::CompressedWriter manifest(manifest_tmp, paths.manifest);
    std::string out_buf, manifest_buf;
    LineReader docs(job.documents);
    JsonParser parser;
    std::string_view line;
    size_t next = 0;
    uint64_t reported = 0;
    while (docs.next(line) && next < draws.size()) {
      const int64_t n = docs.line_number();
      if (draws[next].line != n) continue;
      const std::string id = document_id(parser.parse(line, {doc_file, n, ""}), job.id_field, n).json();
      for (; next < draws.size() && draws[next].line == n; ++next) {
        for (uint32_t epoch = 1; epoch <= draws[next].count; ++epoch) {
          out_buf.append(line);
          out_buf.push_back('\n');
          manifest_buf += fmt::format("{{\"id\":{},\"shard\":{},\"line\":{},\"stream\":{},\"epoch\":{}}}\n", id,
                                      shard_json, n, stream_names[draws[next].stream], epoch);
        }
      }
      if (out_buf.size() >= kFlushBytes) {
        output.write(out_buf);
        out_buf.clear();
        manifest.write(manifest_buf);
        manifest_buf.clear();
        if (progress) {
          progress->advance(docs.bytes_read() - reported);
          reported = docs.bytes_read();
        }
      }
    }
    if (next < draws.size())
      throw Error(ErrorKind::kConflict, "the shard became shorter while it was being sampled", {doc_file, 0, ""});
    output.write(out_buf);
    manifest.write(manifest_buf);
    output.close();
    manifest.close();
    if (progress) progress->advance(docs.file_size() - reported);
  }
  rename_into_place(output_tmp, paths.output);
  rename_into_place(manifest_tmp, paths.manifest);
  temps.keep();
}

}  // namespace

ShardSampleRecord sample_shard(const ShardSampleJob& job, Progress* progress) {
  if (!job.plan || !job.tokens || job.shard >= job.plan->corpus.shards.size() ||
      job.remainder_quotas.size() != job.plan->streams.size())
    throw Error(ErrorKind::kInternal, "sample_shard: job does not match its plan");
  const PlanShard& shard = job.plan->corpus.shards[job.shard];
  const SamplePaths paths = sample_paths(job.out_dir, shard.path);

  FirstPass first = read_memberships(job, progress);
  check_against_plan(job, first);
  ShardSampleRecord record;
  record.plan_checksum = job.plan_checksum;
  record.seed = job.seed;
  record.shard = shard.path;
  record.output = paths.output_name;
  record.lines = first.lines;
  record.docs = first.docs;
  const std::vector<Draw> draws = decide_draws(job, first, record);
  write_draws(job, draws, paths, progress);
  // The done mark last, also through a ".tmp" name: a rerun after a kill overwrites whatever was left.
  const fs::path done_tmp = temp_path(paths.done_mark);
  TempFiles temps({done_tmp});
  {
    corpus::CompressedWriter done(done_tmp, paths.done_mark);
    done.write(shard_record_to_json(record));
    done.close();
  }
  rename_into_place(done_tmp, paths.done_mark);
  temps.keep();
  fault_point("sample:shard-done");
  return record;
}

}  // namespace caploop::sampling
